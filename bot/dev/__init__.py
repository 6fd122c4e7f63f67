"""Developer tools: the local LINE stand-in, the chat simulator, the `make run` launcher, demo."""
