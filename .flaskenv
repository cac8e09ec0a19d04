# Read by the `flask` command in a checkout (python-dotenv); gunicorn ignores it, so servers default to production.
CAPACITA_ENV=development
