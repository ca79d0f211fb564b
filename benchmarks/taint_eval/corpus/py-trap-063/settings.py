import os

DATABASE_PASSWORD = os.environ.get("DATABASE_PASSWORD", "")
API_TOKEN = os.getenv("API_TOKEN")
EXAMPLE_CONFIG = {"password": "<your-password-here>", "token": "changeme"}
