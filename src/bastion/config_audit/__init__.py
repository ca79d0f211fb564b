"""Configuration audit: nginx, Dockerfiles, compose and Kubernetes, GitHub Actions (Python framework settings: the python engine).

AI assistants write deployment files as readily as code; these checks read
them as data (nothing is executed or rendered) and report the settings that
weaken TLS, containment or the CI pipeline.
"""
