"""Pre-tests and post-tests: questionnaires, question types, test-taking, scoring, statistics and reports."""
