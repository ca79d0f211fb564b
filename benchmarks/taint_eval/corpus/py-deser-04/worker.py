import socket
from protocol import decode_message


def serve(port=9100):
    with socket.create_server(("127.0.0.1", port)) as server:
        conn, _ = server.accept()
        with conn:
            data = conn.recv(65536)
            job = decode_message(data)
            print("job", job.get("name"))
