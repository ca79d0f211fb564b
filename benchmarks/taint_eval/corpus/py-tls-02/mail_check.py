import smtplib
import ssl

context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE

with smtplib.SMTP("mail.example.com", 587) as server:
    server.starttls(context=context)
    print(server.noop())
