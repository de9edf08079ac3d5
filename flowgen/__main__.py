from flowgen.cli.main import main

main()
