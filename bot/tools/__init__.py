"""Tools around the bot: the demo, the console simulator, benchmarks, detector training and evaluation."""
