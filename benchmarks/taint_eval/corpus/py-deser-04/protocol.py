import pickle


def decode_message(raw: bytes):
    return pickle.loads(raw)
