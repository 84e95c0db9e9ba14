from slipwatch.cli import main

main()
