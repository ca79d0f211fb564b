"""What Bastion does on the machine it runs on, done one safe way.

``git`` runs every git command with every program the scanned repository could configure turned
off; ``state`` keeps what Bastion writes in the user's own folders, never in the scanned tree.
"""
