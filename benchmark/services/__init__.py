"""Use cases: each public function is one transaction and takes the acting user."""
