"""The impact report: paired statistics turned into findings, charts, the page, its PDF summary and workbook.

Other packages come in through `impact.services` (the report's data) and `impact.cli` (the `impact` command);
the blueprint's __init__ imports `impact.views`, whose routes register on the assessments blueprint."""
