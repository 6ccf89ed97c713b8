from kpilang.cli import main

main()
