import subprocess


def run_step(step):
    subprocess.run("npm run " + step, shell=True, check=True)


def main():
    for step in ("lint", "test", "build"):
        run_step(step)


if __name__ == "__main__":
    main()
