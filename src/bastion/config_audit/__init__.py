"""Configuration audit: nginx, Dockerfiles, compose and Kubernetes, GitHub Actions, framework settings.

AI assistants write deployment files as readily as code; these checks read
them as data (nothing is executed or rendered) and report the settings that
weaken TLS, containment, the CI pipeline or the application framework.
"""
