"""FAQ commands: answering officers' questions, and coordinators curating the answers."""
