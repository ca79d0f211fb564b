import requests

ENDPOINTS = ["https://api.example.com/health", "https://auth.example.com/health"]


def probe(url):
    return requests.get(url, timeout=3).status_code


def main():
    for endpoint in ENDPOINTS:
        print(endpoint, probe(endpoint))


if __name__ == "__main__":
    main()
