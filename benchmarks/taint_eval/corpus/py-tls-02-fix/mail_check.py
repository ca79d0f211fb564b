import smtplib
import ssl

context = ssl.create_default_context()

with smtplib.SMTP("mail.example.com", 587) as server:
    server.starttls(context=context)
    print(server.noop())
