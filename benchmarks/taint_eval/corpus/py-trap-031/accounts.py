def find_account(collection, email):
    if not isinstance(email, str):
        return None
    return collection.find_one({"email": email.lower()})
