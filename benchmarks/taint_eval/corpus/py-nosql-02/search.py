def find_products_cheaper_than(collection, max_price):
    return list(collection.find({"$where": "this.price < " + str(max_price)}))
