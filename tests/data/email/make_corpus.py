#!/usr/bin/env python3
"""Writes the MIME test corpus read by tests/services/email/parse/mime_message_test.cc (and used as the fuzzer's
seed corpus). Each message is assembled here byte by byte, so that every charset in it is real:
the text is encoded with Python's codecs, never pasted as already-encoded bytes.

Run from anywhere: python3 tests/data/email/make_corpus.py   (rewrites the .eml files next to it)
"""

import base64
import os
import quopri
import random
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CRLF = "\r\n"


def b_word(text, charset):
    """RFC 2047 B encoded-word."""
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(charset)).decode("ascii"))


def q_word(text, charset):
    """RFC 2047 Q encoded-word ('_' for space, =XX for everything outside a safe ASCII set)."""
    out = []
    for byte in text.encode(charset):
        c = chr(byte)
        if c == " ":
            out.append("_")
        elif c.isascii() and (c.isalnum() or c in "!*+-/"):
            out.append(c)
        else:
            out.append("=%02X" % byte)
    return "=?%s?Q?%s?=" % (charset, "".join(out))


def rfc2231(text, charset):
    """RFC 2231 extended value: charset''percent-encoded."""
    return "%s''%s" % (charset, urllib.parse.quote(text.encode(charset), safe=""))


def qp(data):
    return quopri.encodestring(data).decode("ascii").replace("\n", CRLF)


def b64(data):
    encoded = base64.b64encode(data).decode("ascii")
    return CRLF.join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


def headers(**fields):
    return "".join("%s: %s%s" % (name.replace("_", "-"), value, CRLF) for name, value in fields.items())


def write(name, *chunks):
    """Joins str (ASCII only) and bytes chunks; converts LF in str chunks to CRLF."""
    data = b""
    for chunk in chunks:
        if isinstance(chunk, str):
            chunk = chunk.replace(CRLF, "\n").replace("\n", CRLF).encode("ascii")
        data += chunk
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


PDF = b"%PDF-1.4\n% test attachment\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + b"\x00\x10JFIF\x00" + bytes(range(256)) + bytes([0xFF, 0xD9])
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def std_headers(sender, subject, msgid, extra=""):
    return (headers(From=sender, To="Support <support@example.com>", Subject=subject,
                    Date="Tue, 14 Nov 2023 10:00:00 +0100", Message_ID="<%s>" % msgid, MIME_Version="1.0")
            + extra)


def hungarian():
    # ISO-8859-2: 8-bit body, Q subject, B-encoded attachment name (ű and ő exist only in Latin-2).
    body = "Jó napot! A rendelésem sérülten érkezett, kérem cseréljék ki.\nÁrvíztűrő tükörfúrógép\n"
    write("hu_iso-8859-2.eml",
          std_headers("%s <arpad.kovacs@example.hu>" % q_word("Kovács Árpád", "iso-8859-2"),
                      q_word("Árvíztűrő tükörfúrógép", "iso-8859-2"), "hu-latin2@example.hu"),
          'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
          "Content-Type: text/plain; charset=ISO-8859-2\nContent-Transfer-Encoding: 8bit\n\n",
          body.replace("\n", CRLF).encode("iso-8859-2"),
          '--b1\nContent-Type: application/pdf; name="%s"\n' % b_word("számla_űrlap.pdf", "iso-8859-2"),
          'Content-Disposition: attachment; filename="%s"\n' % b_word("számla_űrlap.pdf", "iso-8859-2"),
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--b1--\n")
    # windows-1250: „ ” – exist only in the Windows code page; RFC 2231 file name in windows-1250.
    body = "„Sürgős” – a csomag sérülten érkezett.\nKöszönöm a gyors segítséget!\n"
    write("hu_windows-1250.eml",
          std_headers("%s <eva.nagy@example.hu>" % q_word("Nagy Éva", "windows-1250"),
                      b_word("„Sürgős” – sérült csomag", "windows-1250"),
                      "hu-1250@example.hu"),
          'Content-Type: multipart/mixed; boundary="b2"\n\n--b2\n'
          "Content-Type: text/plain; charset=windows-1250\nContent-Transfer-Encoding: 8bit\n\n",
          body.replace("\n", CRLF).encode("windows-1250"),
          "--b2\nContent-Type: application/pdf\n",
          "Content-Disposition: attachment; filename*=%s\n" % rfc2231("számla ősz.pdf", "windows-1250"),
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--b2--\n")


def bulgarian():
    body = "Здравейте, поръчката ми пристигна повредена.\nМоля, изпратете нова.\n"
    write("bg_windows-1251.eml",
          std_headers("%s <ivan@example.bg>" % b_word("Иван Петров", "windows-1251"),
                      b_word("Здравейте, поръчката ми пристигна повредена", "windows-1251"), "bg-1251@example.bg"),
          'Content-Type: multipart/mixed; boundary="b3"\n\n--b3\n'
          "Content-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: 8bit\n\n",
          body.replace("\n", CRLF).encode("windows-1251"),
          '--b3\nContent-Type: image/jpeg; name="%s"\n' % q_word("снимка на щетата.jpg", "windows-1251"),
          "Content-Disposition: attachment\nContent-Transfer-Encoding: base64\n\n", b64(JPEG), "\n--b3--\n")
    # KOI8-R in a quoted-printable part, inside multipart/alternative next to an HTML version.
    body = "Добър ден! Кога ще пристигне пратката ми?\nБлагодаря предварително.\n"
    html = "<html><body><p>Добър ден! Кога ще пристигне пратката ми?</p></body></html>\n"
    write("bg_koi8-r_qp.eml",
          std_headers("%s <maria@example.bg>" % q_word("Мария Георгиева", "koi8-r"),
                      q_word("Въпрос за доставката", "koi8-r"), "bg-koi8@example.bg"),
          'Content-Type: multipart/mixed; boundary="b4"\n\n--b4\n'
          'Content-Type: multipart/alternative; boundary="b5"\n\n--b5\n'
          "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n",
          qp(body.encode("koi8-r")),
          "\n--b5\nContent-Type: text/html; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n",
          qp(html.encode("koi8-r")),
          "\n--b5--\n--b4\nContent-Type: application/pdf\n",
          'Content-Disposition: attachment; filename="%s"\n' % b_word("фактура.pdf", "koi8-r"),
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--b4--\n")


def hebrew():
    body = "שלום,\nההזמנה שלי הגיעה פגומה. אפשר לקבל החזר?\n"
    write("he_iso-8859-8.eml",
          std_headers("%s <dana@example.co.il>" % b_word("דנה כהן", "iso-8859-8"),
                      b_word("שלום, ההזמנה שלי הגיעה פגומה", "iso-8859-8"), "he-8859-8@example.co.il"),
          'Content-Type: multipart/mixed; boundary="b6"\n\n--b6\n'
          # Logical-order Hebrew is labelled iso-8859-8-i in practice; same bytes as iso-8859-8.
          "Content-Type: text/plain; charset=iso-8859-8-i\nContent-Transfer-Encoding: quoted-printable\n\n",
          qp(body.encode("iso-8859-8")),
          '\n--b6\nContent-Type: application/pdf; name="%s"\n' % b_word("קבלה.pdf", "iso-8859-8"),
          "Content-Disposition: attachment\nContent-Transfer-Encoding: base64\n\n", b64(PDF), "\n--b6--\n")
    # windows-1255 with points (niqqud). The last word is typed bet, dagesh, qamats: NFC puts the
    # qamats (combining class 18) before the dagesh (21).
    body = "תודה רבה על העזרה!\nשָׁלוֹם ו" + "\u05d1\u05bc\u05b8" + "רוּךְ\n"
    write("he_windows-1255.eml",
          std_headers("Yossi Levi <yossi@example.co.il>", q_word("תודה רבה על העזרה", "windows-1255"),
                      "he-1255@example.co.il"),
          'Content-Type: multipart/mixed; boundary="b7"\n\n--b7\n'
          "Content-Type: text/plain; charset=windows-1255\nContent-Transfer-Encoding: 8bit\n\n",
          body.replace("\n", CRLF).encode("windows-1255"),
          "--b7\nContent-Type: application/pdf\n",
          'Content-Disposition: attachment; filename="%s"\n' % b_word("חשבונית.pdf", "windows-1255"),
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--b7--\n")


def armenian():
    body = "Բարեւ, պատվերս վնասված է հասել։\nԽնդրում եմ օգնել։\n"
    write("hy_utf-8_base64.eml",
          std_headers("%s <aram@example.am>" % b_word("Արամ Սարգսյան", "utf-8"),
                      b_word("Բարեւ, պատվերս վնասված է հասել", "utf-8"), "hy-utf8@example.am"),
          'Content-Type: multipart/mixed; boundary="b8"\n\n--b8\n'
          "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n",
          b64(body.replace("\n", CRLF).encode("utf-8")),
          "\n--b8\nContent-Type: image/jpeg\n",
          "Content-Disposition: attachment; filename*=%s\n" % rfc2231("նկար.jpg", "utf-8"),
          "Content-Transfer-Encoding: base64\n\n", b64(JPEG), "\n--b8--\n")


def chinese():
    # Raw GBK header values (no RFC 2047), as Chinese webmail sends them: subject, sender name and
    # attachment name are in the charset the text part declares (labelled GB2312, read as GB18030).
    body = "您好，我的订单还没有到，请帮忙查一下。\n谢谢！\n"
    name = "发票.pdf".encode("gb2312")
    write("zh_gb2312_raw_headers.eml",
          "From: ", "王芳".encode("gb2312"), " <wang.fang@example.cn>\n",
          "To: Support <support@example.com>\nSubject: ", "订单还没有到".encode("gb2312"), "\n",
          "Date: Tue, 14 Nov 2023 10:00:00 +0100\nMessage-ID: <zh-gb2312@example.cn>\nMIME-Version: 1.0\n",
          'Content-Type: multipart/mixed; boundary="z"\n\n--z\n'
          "Content-Type: text/plain; charset=GB2312\nContent-Transfer-Encoding: base64\n\n",
          b64(body.replace("\n", CRLF).encode("gb2312")),
          '\n--z\nContent-Type: application/pdf; name="', name, '"\n',
          'Content-Disposition: attachment; filename="', name, '"\n',
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--z--\n")


def structure():
    plain_html = ("--alt\nContent-Type: text/plain; charset=utf-8\n\nPlain version of the answer.\n"
                  "--alt\nContent-Type: text/html; charset=utf-8\n\n"
                  "<html><body><p>HTML <b>version</b> of the answer.</p></body></html>\n--alt--\n")
    write("alternative.eml", std_headers("Ann <ann@example.com>", "Alternative", "alt@example.com"),
          'Content-Type: multipart/alternative; boundary="alt"\n\n', plain_html)

    html = ("<html><head><title>Ignored title</title><style>p { color: red }</style>"
            "<script>alert('x')</script></head><body>"
            "<h1>Order&nbsp;status</h1><p>Hello &amp; welcome,<br>your order:</p>"
            "<ul><li>Item <a href=\"https://shop.example/1\">one</a></li><li>Item two</li></ul>"
            "<div>Fish &amp; chips   cost &pound;5 &mdash; <i>cheap</i>!</div>"
            "<table><tr><td>Total</td><td>5.00</td></tr></table>"
            "</body></html>\n")
    write("html_only.eml", std_headers("Shop <shop@example.com>", "HTML only", "html@example.com"),
          "Content-Type: text/html; charset=utf-8\n\n", html)

    write("nested.eml", std_headers("Ann <ann@example.com>", "Nested", "nested@example.com"),
          'Content-Type: multipart/mixed; boundary="outer"\n\n--outer\n'
          'Content-Type: multipart/related; boundary="rel"\n\n--rel\n'
          'Content-Type: multipart/alternative; boundary="alt"\n\n', plain_html.replace("answer", "nested answer"),
          '--rel\nContent-Type: image/png\nContent-ID: <logo@example.com>\nContent-Disposition: inline\n'
          "Content-Transfer-Encoding: base64\n\n", b64(PNG), "\n--rel--\n"
          '--outer\nContent-Type: application/pdf; name="terms.pdf"\nContent-Disposition: attachment\n'
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--outer--\n")

    inner = (headers(From="Bob Builder <bob@example.org>", To="ann@example.com",
                     Subject="Original question", Date="Mon, 13 Nov 2023 09:30:00 +0000",
                     Message_ID="<inner@example.org>", MIME_Version="1.0")
             + 'Content-Type: multipart/mixed; boundary="in"\n\n--in\n'
             "Content-Type: text/plain; charset=utf-8\n\nThe parcel never arrived.\n"
             '--in\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="invoice.pdf"\n'
             "Content-Transfer-Encoding: base64\n\n" + b64(PDF) + "\n--in--\n")
    write("forwarded.eml", std_headers("Ann <ann@example.com>", "Fwd: Original question", "fwd@example.com"),
          'Content-Type: multipart/mixed; boundary="fw"\n\n--fw\n'
          "Content-Type: text/plain; charset=utf-8\n\nFYI, see the customer's message below.\n"
          "--fw\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n", inner, "--fw--\n")

    write("rfc2231_continuation.eml", std_headers("Ann <ann@example.com>", "Continuation", "cont@example.com"),
          'Content-Type: multipart/mixed; boundary="c"\n\n--c\nContent-Type: text/plain\n\nSee attached.\n'
          "--c\nContent-Type: application/pdf\nContent-Disposition: attachment;\n"
          " filename*0*=UTF-8''%C3%A9t%C3%A9%20;\n filename*1*=r%C3%A9sum%C3%A9;\n filename*2=\".pdf\"\n"
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--c--\n")

    # Outlook-style: RFC 2047 inside the quoted parameter, split in two encoded-words.
    name = "Rechnung März 2024 – Übersicht.pdf"
    word1, word2 = b_word(name[:17], "utf-8"), b_word(name[17:], "utf-8")
    write("outlook_filename.eml", std_headers("Ann <ann@example.com>", "Outlook name", "outlook@example.com"),
          'Content-Type: multipart/mixed; boundary="o"\n\n--o\nContent-Type: text/plain\n\nInvoice attached.\n'
          '--o\nContent-Type: application/pdf;\n name="%s\n %s"\n' % (word1, word2),
          'Content-Disposition: attachment;\n filename="%s\n %s"\n' % (word1, word2),
          "Content-Transfer-Encoding: base64\n\n", b64(PDF), "\n--o--\n")

    simple = "Content-Type: text/plain; charset=utf-8\n\nHello.\n"
    write("missing_date.eml", headers(From="ann@example.com", To="support@example.com", Subject="No date",
                                      Message_ID="<nodate@example.com>"), simple)
    write("garbled_date.eml", headers(From="ann@example.com", To="support@example.com", Subject="Bad date",
                                      Date="Someday, 32 Foo 20x3 99:99", Message_ID="<baddate@example.com>"), simple)
    write("missing_message_id.eml", headers(From="ann@example.com", To="support@example.com",
                                            Subject="No id", Date="Tue, 14 Nov 2023 10:00:00 +0100"), simple)
    write("undeclared_8bit.eml",
          "From: Ren", "é".encode("windows-1252"), " <rene@example.fr>\n",
          "To: support@example.com\nSubject: Caf", "é".encode("windows-1252"),
          " cr", "è".encode("windows-1252"), "me\nDate: Tue, 14 Nov 2023 10:00:00 +0100\n"
          "Message-ID: <undeclared@example.fr>\nContent-Type: text/plain\n\n",
          "Le café était froid — merci.\n".replace("\n", CRLF).encode("windows-1252"))
    write("truncated.eml", std_headers("ann@example.com", "Truncated", "trunc@example.com"),
          'Content-Type: multipart/mixed; boundary="never"\n\n--never\nContent-Type: text/plain\n\n'
          "The first part arrived.\n--never\nContent-Type: application/pdf\n"
          "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK")


def automation():
    simple = "Content-Type: text/plain; charset=utf-8\n\nI am out of the office until Monday.\n"
    write("auto_reply.eml", std_headers("Ann <ann@example.com>", "Out of office", "ooo@example.com",
                                        headers(Auto_Submitted="auto-replied", X_Autoreply="yes")), simple)
    write("bulk_list.eml", std_headers("News <news@example.com>", "Newsletter", "news@example.com",
                                       headers(Precedence="bulk", List_Id="<news.example.com>",
                                               List_Unsubscribe="<mailto:unsubscribe@example.com>")),
          "Content-Type: text/plain\n\nThis month's news.\n")
    write("bounce.eml", headers(From="Mail Delivery System <MAILER-DAEMON@mx.example.com>",
                                To="support@example.com", Subject="Undelivered Mail Returned to Sender",
                                Date="Tue, 14 Nov 2023 10:00:00 +0100", Message_ID="<bounce@mx.example.com>",
                                Auto_Submitted="auto-replied", MIME_Version="1.0"),
          'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
          "--r\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
          "--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
          "Final-Recipient: rfc822; nobody@example.net\nAction: failed\nStatus: 5.1.1\n--r--\n")


def quotes():
    def reply(name, body, content_type="text/plain; charset=utf-8"):
        write(name, std_headers("Ann <ann@example.com>", "Re: Order 1234", name.replace(".eml", "") + "@example.com",
                                headers(In_Reply_To="<order-1234@example.com>",
                                        References="<order-1000@example.com> <order-1234@example.com>")),
              "Content-Type: %s\n\n" % content_type, body)

    reply("quote_gmail.eml", "Thanks, that works.\n\nOn Mon, Nov 13, 2023 at 9:30 AM Support Team <\n"
          "support@example.com> wrote:\n\n> Please try again.\n> Regards\n")
    reply("quote_outlook.eml", "Still broken.\n\n-----Original Message-----\nFrom: Support\n"
          "Sent: Monday, November 13, 2023 9:30 AM\nSubject: Order 1234\n\nPlease try again.\n")
    reply("quote_outlook_de.eml", "Danke!\n\n________________________________\nVon: Support <support@example.com>\n"
          "Gesendet: Montag, 13. November 2023 09:30\nAn: Ann <ann@example.com>\nBetreff: Bestellung 1234\n\n"
          "Bitte versuchen Sie es erneut.\n")
    reply("quote_apple.eml", "Got it, thanks!\n\n> On Nov 13, 2023, at 09:30, Support <support@example.com> wrote:\n"
          ">\n> Please try again.\n")
    reply("quote_apple_attribution.eml", "Got it, thanks!\n\nOn Nov 13, 2023, at 09:30, Support "
          "<support@example.com> wrote:\n\n> Please try again.\n")
    reply("quote_gt.eml", "Answer to your question: yes.\n\n> Does it ship to Canada?\n>> Earlier text\n>\n"
          "> More quoted text\n")
    reply("quote_gmail_html.eml",
          '<div dir="ltr">Thanks, that works.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
          "On Mon, Nov 13, 2023 at 9:30 AM Support Team &lt;support@example.com&gt; wrote:<br></div>"
          '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Please try again.<br>Regards</blockquote>'
          "</div>\n", "text/html; charset=utf-8")


def garbage():
    rng = random.Random(20231114)
    with open(os.path.join(HERE, "garbage.bin"), "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(4096)))


if __name__ == "__main__":
    hungarian()
    bulgarian()
    hebrew()
    armenian()
    chinese()
    structure()
    automation()
    quotes()
    garbage()
