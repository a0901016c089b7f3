from dokumenter.cli import main

main()
