#!/usr/bin/env python3
"""Writes deploy/sample/relationship-sample.jsonl: the relationship-metrics sample that
scripts/run.sh loads on the first start, after deploy/sample/sample-events.jsonl.

A few hundred customers of a web shop over six months, on every channel, each writing in
one language (Hungarian, Armenian, Hebrew, Bulgarian or English) about orders, delivery
problems and refunds, with agents' answers (quick and slow), follow-ups on another channel,
unanswered contacts, thanks, and a few referrals (a WhatsApp ad, an m.me link, a partner),
so that every plot of the console's metrics page has data. Sentences come from the
hand-written phrase banks below, combined by a seeded random generator: the same seed
writes the same bytes (tests/e2e/test_run_script.py checks the committed file).

Usage: scripts/make-sample-data.py [--out FILE] [--seed N]
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_lines as il  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, "deploy", "sample", "relationship-sample.jsonl")
SEED = 15
CUSTOMERS = 320
START_US = 1_777_593_600 * 1_000_000     # 2026-05-01T00:00:00Z
DAYS = 183                               # six months
MINUTE_US = 60 * 1_000_000
HOUR_US = 60 * MINUTE_US
DAY_US = 24 * HOUR_US

# Phrase banks, one per language: what a customer writes about each topic, how an agent
# answers, what a customer adds later, how they thank. {order} is an order number.
PHRASES = {
    "hu": {
        "names": ["Nagy Eszter", "Kovács Bence", "Tóth Réka", "Szabó Máté", "Horváth Anna", "Varga Levente"],
        "phone": "+36 20 {n:03d} {m:04d}",
        "subjects": {"order": "Rendelés {order}", "delivery": "Szállítás – {order}", "refund": "Visszatérítés {order}"},
        "order": ["Szeretném megkérdezni, mikor adják fel a {order}. számú rendelésemet?",
                  "Leadtam a {order} rendelést, de nem kaptam visszaigazoló e-mailt. Minden rendben vele?",
                  "Lehet még módosítani a {order} rendelés szállítási címét?"],
        "order_reply": ["Köszönjük a türelmét! A {order} rendelést ma adjuk fel, holnap megkapja a követési számot.",
                        "Megnéztem: a rendelés rendben van, a visszaigazolás valószínűleg a spam mappába került. Újraküldtem.",
                        "Igen, a címet még tudjuk módosítani. Kérem, írja meg az új címet."],
        "delivery": ["A futár szerint kézbesítette a {order} csomagot, de nem kaptam meg.",
                     "Már egy hete várok a {order} rendelésre, és a követés nem frissül.",
                     "Sérülten érkezett a csomag, a doboz teljesen be volt nyomódva."],
        "delivery_reply": ["Elnézést a kellemetlenségért! Reklamációt indítottunk a futárszolgálatnál, két munkanapon belül jelentkezünk.",
                           "Nagyon sajnáljuk! Küldene egy fotót a sérült termékről? Azonnal küldünk cserét."],
        "refund": ["Szeretném visszaküldeni a {order} rendelést. Hogyan kapom vissza a pénzem?",
                   "Múlt héten visszaküldtem a terméket, de még nem kaptam meg a visszatérítést."],
        "refund_reply": ["A visszatérítést elindítottuk, 3-5 munkanapon belül megjelenik a számláján.",
                         "Megkaptuk a visszaküldött csomagot, az összeget ma utaljuk."],
        "follow_up": ["Még mindig nem látom a pénzt a számlámon, megnéznék még egyszer?",
                      "Bocsánat, még egy kérdés: a szállítási díjat is visszakapom?",
                      "A követési szám még mindig nem működik. Tudnak segíteni?"],
        "follow_up_reply": ["Megnéztük újra: az utalás elindult, a bank feldolgozása 1-2 napig tarthat.",
                            "Igen, a szállítási díjat is visszatérítjük.",
                            "Elnézést, elírtuk a követési számot. A helyes számot most küldöm."],
        "thanks": ["Köszönöm szépen a gyors segítséget!", "Megérkezett, minden rendben. Köszönöm!"],
    },
    "hy": {
        "names": ["Անի Պետրոսյան", "Արամ Սարգսյան", "Նարե Հովհաննիսյան", "Դավիթ Գրիգորյան", "Լիլիթ Ավետիսյան"],
        "phone": "+374 77 {m:06d}",
        "subjects": {"order": "Պատվեր {order}", "delivery": "Առաքում {order}", "refund": "Գումարի վերադարձ {order}"},
        "order": ["Բարև Ձեզ, ե՞րբ կուղարկվի իմ {order} պատվերը։",
                  "Կատարել եմ {order} պատվերը, բայց հաստատման նամակ չեմ ստացել։",
                  "Հնարավո՞ր է դեռ փոխել {order} պատվերի առաքման հասցեն։"],
        "order_reply": ["Շնորհակալություն համբերության համար։ {order} պատվերը կուղարկվի այսօր, իսկ վաղը կստանաք հետևման համարը։",
                        "Ստուգեցի՝ պատվերը կարգին է, հաստատումը հավանաբար սպամի թղթապանակում է։ Նորից ուղարկեցի։",
                        "Այո, հասցեն դեռ կարելի է փոխել։ Խնդրում ենք գրել նոր հասցեն։"],
        "delivery": ["Առաքիչը նշել է, որ {order} ծանրոցը հանձնված է, բայց ես այն չեմ ստացել։",
                     "Արդեն մեկ շաբաթ է սպասում եմ {order} պատվերին, իսկ հետևումը չի թարմացվում։",
                     "Ծանրոցը վնասված է հասել, տուփը ամբողջովին ճզմված էր։"],
        "delivery_reply": ["Ներողություն անհարմարության համար։ Բողոք ենք ներկայացրել առաքման ծառայությանը և կպատասխանենք երկու աշխատանքային օրվա ընթացքում։",
                           "Շատ ենք ափսոսում։ Կարո՞ղ եք ուղարկել վնասված ապրանքի լուսանկարը։ Անմիջապես կուղարկենք նորը։"],
        "refund": ["Ուզում եմ վերադարձնել {order} պատվերը։ Ինչպե՞ս ետ ստանամ գումարը։",
                   "Անցյալ շաբաթ վերադարձրի ապրանքը, բայց գումարը դեռ չի վերադարձվել։"],
        "refund_reply": ["Գումարի վերադարձը սկսված է և 3-5 աշխատանքային օրվա ընթացքում կերևա Ձեր հաշվին։",
                         "Ստացանք վերադարձված ծանրոցը, գումարը կփոխանցվի այսօր։"],
        "follow_up": ["Գումարը դեռ չեմ տեսնում հաշվիս վրա, կարո՞ղ եք նորից ստուգել։",
                      "Ներեցեք, ևս մեկ հարց. առաքման վճարն էլ կվերադարձվի՞։",
                      "Հետևման համարը դեռ չի աշխատում։ Կօգնե՞ք։"],
        "follow_up_reply": ["Նորից ստուգեցինք. փոխանցումը կատարված է, բանկը կարող է մշակել 1-2 օրում։",
                            "Այո, առաքման վճարը նույնպես կվերադարձվի։",
                            "Ներողություն, հետևման համարը սխալ էինք գրել։ Ահա ճիշտ համարը։"],
        "thanks": ["Շատ շնորհակալ եմ արագ օգնության համար։", "Ծանրոցը հասավ, ամեն ինչ կարգին է։ Շնորհակալություն։"],
    },
    "he": {
        "names": ["נועה כהן", "יונתן לוי", "מיכל מזרחי", "איתי פרץ", "שירה אברהם"],
        "phone": "+972 52 {n:03d} {m:04d}",
        "subjects": {"order": "הזמנה {order}", "delivery": "משלוח {order}", "refund": "החזר כספי {order}"},
        "order": ["שלום, מתי תישלח הזמנה מספר {order}?",
                  "ביצעתי את הזמנה {order} אבל לא קיבלתי אישור במייל. הכול תקין?",
                  "אפשר עוד לשנות את כתובת המשלוח של הזמנה {order}?"],
        "order_reply": ["תודה על הסבלנות! הזמנה {order} תישלח היום, ומחר תקבלו מספר מעקב.",
                        "בדקתי – ההזמנה תקינה, כנראה שהאישור הגיע לתיקיית הספאם. שלחתי אותו שוב.",
                        "כן, עדיין אפשר לשנות את הכתובת. אנא כתבו לנו את הכתובת החדשה."],
        "delivery": ["השליח סימן את משלוח {order} כנמסר, אבל לא קיבלתי אותו.",
                     "אני מחכה להזמנה {order} כבר שבוע והמעקב לא מתעדכן.",
                     "החבילה הגיעה פגומה, הקופסה הייתה מעוכה לגמרי."],
        "delivery_reply": ["מצטערים על אי הנוחות! פתחנו תלונה מול חברת השליחויות ונחזור אליכם תוך שני ימי עסקים.",
                           "מצטערים מאוד! תוכלו לשלוח לנו תמונה של המוצר הפגום? נשלח לכם מוצר חלופי מיד."],
        "refund": ["אני רוצה להחזיר את הזמנה {order}. איך אקבל את הכסף בחזרה?",
                   "החזרתי את המוצר בשבוע שעבר אבל עדיין לא קיבלתי זיכוי."],
        "refund_reply": ["הזיכוי בוצע ויופיע בחשבון שלכם תוך 3-5 ימי עסקים.",
                         "קיבלנו את החבילה שהוחזרה, הכסף יועבר היום."],
        "follow_up": ["אני עדיין לא רואה את הכסף בחשבון, תוכלו לבדוק שוב?",
                      "סליחה, עוד שאלה – גם דמי המשלוח יוחזרו?",
                      "מספר המעקב עדיין לא עובד. תוכלו לעזור?"],
        "follow_up_reply": ["בדקנו שוב: ההעברה בוצעה, עיבוד בבנק יכול לקחת יום או יומיים.",
                            "כן, גם דמי המשלוח יוחזרו.",
                            "סליחה, נפלה טעות במספר המעקב. הנה המספר הנכון."],
        "thanks": ["תודה רבה על העזרה המהירה!", "החבילה הגיעה, הכול בסדר. תודה!"],
    },
    "bg": {
        "names": ["Мария Иванова", "Георги Петров", "Елена Димитрова", "Николай Стоянов", "Десислава Колева"],
        "phone": "+359 88 {n:03d} {m:04d}",
        "subjects": {"order": "Поръчка {order}", "delivery": "Доставка на {order}", "refund": "Възстановяване {order}"},
        "order": ["Здравейте, кога ще бъде изпратена поръчка {order}?",
                  "Направих поръчка {order}, но не получих потвърждение по имейл. Всичко наред ли е?",
                  "Може ли още да сменя адреса за доставка на поръчка {order}?"],
        "order_reply": ["Благодарим за търпението! Поръчка {order} ще бъде изпратена днес, а утре ще получите номер за проследяване.",
                        "Проверих – поръчката е наред, потвърждението вероятно е в папка „Спам“. Изпратих го отново.",
                        "Да, адресът все още може да бъде променен. Моля, напишете ни новия адрес."],
        "delivery": ["Куриерът е отбелязал пратка {order} като доставена, но аз не съм я получил.",
                     "Чакам поръчка {order} вече цяла седмица, а проследяването не се обновява.",
                     "Пратката пристигна повредена, кутията беше смачкана."],
        "delivery_reply": ["Съжаляваме за неудобството! Подадохме рекламация към куриера и ще се свържем с Вас до два работни дни.",
                           "Много съжаляваме! Можете ли да ни изпратите снимка на повредения продукт? Веднага ще изпратим нов."],
        "refund": ["Искам да върна поръчка {order}. Как да си получа парите обратно?",
                   "Върнах продукта миналата седмица, но все още не съм получил парите си."],
        "refund_reply": ["Възстановяването е стартирано и сумата ще се появи по сметката Ви до 3-5 работни дни.",
                         "Получихме върнатата пратка, сумата ще бъде преведена днес."],
        "follow_up": ["Все още не виждам парите в сметката си, може ли да проверите отново?",
                      "Извинете, още един въпрос – ще ми бъде ли върната и цената за доставка?",
                      "Номерът за проследяване все още не работи. Можете ли да помогнете?"],
        "follow_up_reply": ["Проверихме отново: преводът е направен, банката може да го обработи до 1-2 дни.",
                            "Да, цената за доставка също ще бъде възстановена.",
                            "Извинете, сгрешили сме номера за проследяване. Ето верния номер."],
        "thanks": ["Благодаря много за бързата помощ!", "Пратката пристигна, всичко е наред. Благодаря!"],
    },
    "en": {
        "names": ["Emily Clark", "James Walker", "Olivia Brown", "Daniel Hughes", "Grace Turner"],
        "phone": "+1 202-555-{m:04d}",
        "subjects": {"order": "Order {order}", "delivery": "Delivery of order {order}", "refund": "Refund for {order}"},
        "order": ["Hi, when will my order {order} be shipped?",
                  "I placed order {order} but never got a confirmation email. Is everything OK with it?",
                  "Can I still change the delivery address for order {order}?"],
        "order_reply": ["Thanks for your patience! Order {order} ships today; you will get the tracking number tomorrow.",
                        "I checked: the order is fine, the confirmation probably went to your spam folder. I sent it again.",
                        "Yes, we can still change the address. Please send us the new one."],
        "delivery": ["The courier says parcel {order} was delivered, but I never received it.",
                     "I have been waiting for order {order} for a week and the tracking has not updated.",
                     "The parcel arrived damaged, the box was completely crushed."],
        "delivery_reply": ["Sorry for the trouble! We opened a claim with the courier and will get back to you within two working days.",
                           "We are very sorry! Could you send us a photo of the damaged item? We will ship a replacement right away."],
        "refund": ["I would like to return order {order}. How do I get my money back?",
                   "I sent the item back last week but have not received the refund yet."],
        "refund_reply": ["The refund has been issued and will show on your account within 3-5 working days.",
                         "We received the returned parcel; the money goes out today."],
        "follow_up": ["I still don't see the money on my account, could you check again?",
                      "Sorry, one more question: will the shipping fee be refunded too?",
                      "The tracking number still doesn't work. Can you help?"],
        "follow_up_reply": ["We checked again: the transfer went out, your bank may take a day or two.",
                            "Yes, the shipping fee is refunded as well.",
                            "Sorry, we mistyped the tracking number. Here is the right one."],
        "thanks": ["Thank you so much for the quick help!", "It arrived and everything is fine. Thanks!"],
    },
}
TOPICS = ("order", "delivery", "refund")


class Customer:
    def __init__(self, n, rng):
        self.n = n
        self.lang = ("hu", "hy", "he", "bg", "en")[n % 5]
        bank = PHRASES[self.lang]
        self.name = bank["names"][n // 5 % len(bank["names"])]
        roll = rng.random()
        if roll < 0.4:
            self.kind, self.platform = "phone", None
            self.value = bank["phone"].format(n=100 + n % 900, m=1000 + n)
        elif roll < 0.65:
            self.kind, self.platform = "email", None
            self.value = f"customer{n}.{self.lang}@example.com"
        else:
            self.kind, self.platform = "platform", il.PLATFORM_CHANNELS[n % 4]
            self.value = str(5_100_000_000 + n)
        self.identity = il.identity(self.kind, self.value, self.name, self.platform)
        self.channels = il.channels_for(self.kind, self.platform)


class Writer:
    """Appends one customer's conversations as ingest lines."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.count = 0

    def say(self, customer, direction, channel, us, text, subject=None, conversation=None, fields=None):
        self.count += 1
        account = il.ACCOUNTS[channel][0]
        self.lines.append(il.message(channel, account, customer.identity, direction, us,
                                     f"sample-rel-{self.count:05d}", text=text, subject=subject,
                                     conversation=conversation, provider_fields=fields))

    def delay(self, slow_share=0.3):
        """How long an agent takes to answer: minutes mostly, sometimes hours or a day."""
        if self.rng.random() < slow_share:
            return self.rng.randrange(2 * HOUR_US, 30 * HOUR_US)
        return self.rng.randrange(2 * MINUTE_US, 45 * MINUTE_US)

    def contact(self, customer, t, first):
        rng, bank = self.rng, PHRASES[customer.lang]
        topic = rng.choice(TOPICS)
        order = str(rng.randrange(10000, 99999))
        channel = customer.channels[0] if rng.random() < 0.75 else rng.choice(customer.channels)
        subject = bank["subjects"][topic].format(order=order) if channel == "email" else None
        conversation = f"{topic}-{order}"
        fields = None
        if first and rng.random() < 0.08:
            fields = {"whatsapp": {"referral": '{"source_type":"ad","headline":"Summer sale"}'},
                      "messenger": {"postback.referral": '{"ref":"summer","source":"SHORTLINK"}'}}.get(
                channel, {"referred_by": "partner-blog"})
        ask = rng.choice(bank[topic]).format(order=order)
        self.say(customer, "inbound", channel, t, ask, subject, conversation, fields)
        if rng.random() < 0.1:
            return  # never answered
        t += self.delay()
        reply = rng.choice(bank[topic + "_reply"]).format(order=order)
        self.say(customer, "outbound", channel, t, reply, subject, conversation)
        if rng.random() < 0.3:
            # A follow-up a day or two later, often on another of the customer's channels.
            t += rng.randrange(6 * HOUR_US, 3 * DAY_US)
            other = rng.choice(customer.channels)
            which = rng.randrange(len(bank["follow_up"]))
            self.say(customer, "inbound", other, t, bank["follow_up"][which], None, conversation)
            t += self.delay(0.5)
            self.say(customer, "outbound", other, t, bank["follow_up_reply"][which], None, conversation)
        if rng.random() < 0.25:
            t += rng.randrange(10 * MINUTE_US, 20 * HOUR_US)
            self.say(customer, "inbound", channel, t, rng.choice(bank["thanks"]), None, conversation)


def generate(seed=SEED, customers=CUSTOMERS):
    """The sample's lines (dicts), ordered by time."""
    rng = random.Random(seed)
    writer = Writer(rng)
    for n in range(customers):
        customer = Customer(n, rng)
        # Customers arrive over the six months; some come back once or more.
        t = START_US + rng.randrange((DAYS - 10) * DAY_US)
        first = True
        while t < START_US + DAYS * DAY_US:
            writer.contact(customer, t, first)
            first = False
            if rng.random() < 0.55:
                break
            t += rng.randrange(10 * DAY_US, 70 * DAY_US)
    writer.lines.sort(key=lambda line: (line["occurred_at"], line["provider_message_id"]))
    return writer.lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="where to write (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default: %(default)s)")
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for line in generate(args.seed):
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
