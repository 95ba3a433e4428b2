"""Domain models, one module per aggregate. Importing this package registers them all."""
