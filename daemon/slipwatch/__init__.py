"""slipwatch: vendor status mail in, a schedule people can trust out."""

__version__ = "0.1.0"
