import xml.etree.ElementTree as ET


def setting_value(config_file, section):
    root = ET.parse(config_file).getroot()
    for node in root.findall("./section"):
        if node.get("name") == section:
            value = node.find("value")
            return None if value is None else value.text
    return None
