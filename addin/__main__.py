from addin.cli import main

if __name__ == "__main__":  # not when a worker process of `minga supervisar` imports it
    main()
