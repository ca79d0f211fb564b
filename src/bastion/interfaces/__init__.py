"""The faces of Bastion: the Python API, the command line and the MCP server.

``api`` (``scan``) and ``commands`` (one function per other command) are the public API; ``cli``
and ``mcp_server`` are thin faces over it, so the three cannot drift.
"""
