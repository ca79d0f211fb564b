"""Deployment settings (generated with an AI assistant)."""
DEBUG = True
AWS_ACCESS_KEY_ID = "AKIAVUE27SU7Z4RCXJ64"
AWS_SECRET_ACCESS_KEY = "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"
UPLOAD_BUCKET = "profile-pictures"
