"""What differs between two policies (``compare``), and what it costs on a roster (``impact``)."""
