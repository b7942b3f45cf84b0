"""Publishing on push: POST /hooks/git, signed with a shared secret."""
