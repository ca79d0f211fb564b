"""JavaScript / TypeScript SAST: a tree-sitter frontend on the shared IR and taint core."""
