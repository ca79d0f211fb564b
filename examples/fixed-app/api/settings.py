"""Deployment settings: secrets come from the environment, never from the code."""
import os

DEBUG = os.environ.get("APP_DEBUG") == "1"
AWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]
AWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
UPLOAD_BUCKET = "profile-pictures"
