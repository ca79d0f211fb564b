def find_products_cheaper_than(collection, max_price):
    return list(collection.find({"price": {"$lt": float(max_price)}}))
