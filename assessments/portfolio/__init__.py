"""The portfolio: indicators counted across every program a viewer sees, its page, its workbook and its feed."""
