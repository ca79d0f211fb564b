import xml.etree.ElementTree as ET


def setting_value(config_file, section):
    root = ET.parse(config_file).getroot()
    node = root.find(f"./section[@name='{section}']/value")
    return None if node is None else node.text
