# Snippets from the model guide land below.

