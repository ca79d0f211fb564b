class Step:
    def __init__(self, name):
        self.name = name

    def execute(self, payload):
        print("running", self.name, "on", payload)
        return payload


def run_pipeline(text):
    step = Step("normalize")
    return step.execute("SELECT " + text)
