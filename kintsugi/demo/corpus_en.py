"""English texts for the demo: guests from abroad (some writing English as a second language) and staff.

Same shape and slots as corpus_vi. The "subject", "action", "cause" and "prevent" lists, REMEDIES' keys and
the *_VN / *_TH lists below are aligned with the Vietnamese and Thai corpora (entry i says the same thing).
"""

from __future__ import annotations

FAMILY = ("Wilson", "Carter", "Brown", "Müller", "Kim", "Tanaka", "Dubois", "Rossi", "Johansson", "O'Brien",
          "Singh", "Nguyen", "Chen", "Schmidt")
GIVEN = {
    "m": ("James", "Liam", "Daniel", "Lukas", "Min-jun", "Hiroshi", "Pierre", "Marco", "Erik", "Sean", "Arjun"),
    "f": ("Emma", "Olivia", "Sophie", "Chloe", "Ji-woo", "Yuki", "Camille", "Giulia", "Freya", "Aoife", "Priya"),
}

STAFF_VN = ("Hung", "Trang", "Tu", "Vy", "Nam", "Hanh")
STAFF_TH = ("Nan", "Ton", "Fon", "Boy", "Nok", "Mind")
DISHES_VN = ("rare beef pho", "bun cha", "caramelised fish in clay pot", "seafood fried rice", "shrimp spring rolls",
             "seafood hotpot", "shaking beef", "Quang noodles")
DISHES_TH = ("tom yum goong", "pad thai with prawns", "green curry chicken", "crab fried rice", "som tam",
             "steamed sea bass with lime", "pad krapow", "beef massaman curry")
TREATMENTS_VN = ("90-minute hot stone massage", "herbal hair wash", "60-minute foot massage", "facial")
TREATMENTS_TH = ("2-hour Thai massage", "90-minute aromatherapy oil massage", "60-minute foot massage", "facial")

CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "housekeeping": {
        "subject": ("Room {room} not cleaned", "Room {room} dirty, towels and sheets not clean"),
        "problem": (
            "Nobody cleaned room {room} yesterday, the rubbish is still there and the wet towels were not changed.",
            "The towels in room {room} have yellow stains and smell damp, and there is hair from the last guest "
            "on the sheets.",
            "We put the make up room sign at 9am and at {time} still nobody came to room {room}.",
            "Bathroom of room {room} has black mould in the corner and the toilet was not cleaned.",
        ),
        "impact": (
            "My son has allergies and was scratching all night, he could not sleep.",
            "I had to go down to reception twice to ask for towels myself.",
            "My wife did not want to shower, really unpleasant for the whole family.",
        ),
        "action": (
            "had housekeeping clean room {room} from top to bottom and replace all towels and bed linen",
            "offered a new room checked personally by the housekeeping supervisor",
            "had the housekeeping supervisor inspect room {room} again together with {staff}",
        ),
        "cause": (
            "the housekeeping shift was short-staffed that day and room {room} was missed",
            "linen from a failed laundry batch was not checked before it went up to the rooms",
        ),
        "prevent": (
            "have a supervisor sign off every room before the end of each shift",
            "spot-check linen from the laundry every day",
        ),
    },
    "air-conditioning": {
        "subject": ("Air conditioning in room {room} not cooling", "AC in room {room} leaking and noisy"),
        "problem": (
            "The AC in room {room} ran all night but is not cold at all, even on 18 degrees it is hot.",
            "Aircon in room {room} is dripping water on the floor, my suitcase is all wet.",
            "The air conditioner makes a very loud humming noise, if we turn it off it is too hot to sleep.",
            "Remote for the AC in room {room} is broken, I called reception at {time} and nobody came yet.",
        ),
        "impact": (
            "Our baby was crying all night from the heat and has a slight fever this morning.",
            "I barely slept and had to meet a client this morning completely exhausted.",
            "We had to sleep with the balcony door open and got eaten by mosquitoes.",
        ),
        "action": (
            "sent an engineer to clean and recharge the air conditioning in room {room}",
            "offered another room of the same type with a tested air conditioner",
            "replaced the indoor unit and the remote in room {room}",
        ),
        "cause": (
            "the filter was clogged and the gas low, but the unit was not yet due for maintenance",
            "the AC drain pipe was blocked and the night engineer did not check it",
        ),
        "prevent": (
            "service every air conditioner monthly during the hot season",
            "add an AC test to the checklist before a room is handed over",
        ),
    },
    "wifi": {
        "subject": ("Wi-Fi in room {room} keeps dropping", "Wi-Fi and facilities not working"),
        "problem": (
            "The wifi in room {room} drops every few minutes, video calls are impossible.",
            "Internet is extremely slow, downloading one email attachment takes ten minutes.",
            "^The pool was closed for maintenance without any notice, the website still says it is open.",
            "^The left elevator has been broken since yesterday and my parents had to walk up 6 floors.",
        ),
        "impact": (
            "I missed an online meeting with a client at {time}.",
            "I had to work from a café, almost {minutes} minutes there and back.",
        ),
        "action": (
            "had IT check the network and install an extra access point on the floor of room {room}",
            "set up a separate high-speed account and repaired the faulty equipment",
        ),
        "cause": (
            "the access point on this floor had a firmware fault after last week's update",
            "the equipment was out of order but reception and guests were not informed",
        ),
        "prevent": (
            "monitor Wi-Fi on every floor automatically and alert IT when it drops",
            "tell guests by message and at reception whenever a facility is closed",
        ),
    },
    "noise": {
        "subject": ("Noise in room {room}, could not sleep", "Noise at night"),
        "problem": (
            "The room next to {room} had a party until 1am, I called reception twice and nobody did anything.",
            "Construction next door started drilling at 6am and guests were not warned.",
            "^The lobby bar played very loud music until {time}, we could hear everything on the 3rd floor.",
            "A water pump behind the wall of room {room} was banging all night.",
        ),
        "impact": (
            "Our two kids could not sleep and were cranky all day.",
            "I had an early flight and hardly slept at all.",
        ),
        "action": (
            "offered a quiet room on a high floor away from the plant room",
            "agreed with the contractor to drill only after 8am and warned the noisy room",
        ),
        "cause": (
            "the night reception had no procedure for noise complaints",
            "the room was next to a noisy area (plant room or building works) and nobody warned the guest",
        ),
        "prevent": (
            "set quiet hours from 10pm and make the night shift respond within 10 minutes",
            "flag rooms near noisy areas so they are not given to families with small children",
        ),
    },
    "front-desk": {
        "subject": (
            "Waited too long to check in", "Reception gave the wrong room",
            "Key card for room {room} keeps failing",
            "Reception forgot to return my passport",
        ),
        "problem": (
            "We arrived at {time} and waited almost {minutes} minutes to check in, only one receptionist working.",
            "I booked a double bed but reception gave me room {room} with two singles and said they are full.",
            "Key card for room {room} stopped working three times in two days, each time I had to go down again.",
            "Reception kept my passport and forgot to give it back, I nearly went to the airport without it!",
        ),
        "impact": (
            "After a full day of travelling we had to stand in the lobby like this.",
            "I was late for a dinner with a client.",
        ),
        "action": (
            "added staff to the front desk at peak check-in times",
            "changed the room to the type that was booked and served a welcome drink",
            "reset the key system and issued new cards for room {room}",
            "returned the passport in person, with an apology from the front office manager",
        ),
        "cause": (
            "the reception rota did not account for a tour group arriving at the same time",
            "the bed type from the booking channel did not sync into our system",
            "the key encoder at the desk was faulty and wrote cards incorrectly",
            "the passport was kept for registration but not written in the shift handover log",
        ),
        "prevent": (
            "plan reception shifts from each day's expected arrivals",
            "check the bed type against the guest's confirmation email at check-in",
            "test the key encoder every morning and replace lock batteries on schedule",
            "return passports right after registration and log them in the handover book",
        ),
    },
    "booking": {
        "subject": (
            "^Room booking wrong or cancelled", "~Table booked but no table on arrival", "Booking details wrong",
        ),
        "problem": (
            "^I booked a sea view room on your website and paid a deposit of {amount}, at arrival reception says "
            "there is no booking.",
            "^Booked 3 nights but your system shows only 2, and the third night cost more.",
            "~We booked a table for 8 at {time} for a birthday and paid {amount} deposit, when we arrived no table.",
            "~Booked through your Facebook page and got a confirmation, but the staff said they never got any message.",
        ),
        "impact": (
            "The whole group waited almost {minutes} minutes, very embarrassing in front of my guests.",
            "My family had to look for another place in the middle of the night.",
        ),
        "action": (
            "^reconfirmed the booking at the original rate and refunded the difference",
            "~arranged a private table the same evening and confirmed the deposit",
            "called back to confirm the booking details and sent a new confirmation email",
        ),
        "cause": (
            "the online booking channel failed to sync, so the booking never reached our system",
            "the staff handling the page and the website did not pass the booking to reservations",
        ),
        "prevent": (
            "reconcile bookings between the website, social pages and our system twice a day",
            "send an automatic confirmation for every booking with a deposit",
        ),
    },
    "transfer": {
        "subject": (
            "Airport transfer late", "No driver at the airport",
            "Unsafe driving by the transfer driver",
        ),
        "problem": (
            "The airport pick-up was booked for {time} but came {minutes} minutes late, nobody answered the hotline.",
            "We booked the airport pick-up but there was nobody with a name sign, so we took a taxi for {amount}.",
            "The driver was driving dangerously and talking on his phone the whole way, we were scared.",
        ),
        "impact": (
            "We almost missed our flight home.",
            "We had to get a taxi ourselves, waiting in the sun with two small kids.",
        ),
        "action": (
            "refunded the taxi fare and offered the return transfer free of charge",
            "raised it with the transport company and suspended the driver for retraining",
        ),
        "cause": (
            "the pick-up schedule was not sent to the transport company after the flight time changed",
            "our partner transport company dispatched late and did not inform us",
            "the partner company put a new driver on the job without any checks",
        ),
        "prevent": (
            "track actual landing times and confirm with the driver two hours ahead",
            "put punctuality terms into the transport contract and review them monthly",
            "require the transport company to vet and train drivers, and review guest feedback monthly",
        ),
    },
    "staff-attitude": {
        "subject": ("Rude staff", "Staff disrespectful to guests"),
        "problem": (
            "The staff called {staff} was very rude, short answers to every question.",
            "When I asked to check the bill the cashier rolled her eyes and said I was wrong.",
            "Staff was standing on his phone, I called him three times before he came.",
            "^The security guard spoke very rudely to my foreign friend.",
        ),
        "impact": (
            "I felt disrespected and do not want to come back.",
            "I was with business partners and felt very embarrassed.",
        ),
        "action": (
            "talked with {staff} directly, and the shift manager apologised in person",
            "held a refresher training on service standards for the whole shift",
        ),
        "cause": (
            "a new team member had not been coached enough on handling guest questions",
            "the shift was overloaded that day and the shift manager was not present",
        ),
        "prevent": (
            "pair every new team member with a mentor for the first three months",
            "keep the shift manager in the lobby at peak times",
        ),
    },
    "food-quality": {
        "subject": ("Food quality not acceptable", "Problem with the {dish}"),
        "problem": (
            "The {dish} came out cold and way too salty.",
            "There was a hair in my {dish}, the waiter just said sorry and took it away, no replacement.",
            "After eating the {dish} the whole family had stomach ache, I think something was not fresh.",
            "~Table {table} ordered {dish} but got a different dish, and waited another {minutes} minutes for it.",
        ),
        "impact": (
            "My daughter had diarrhoea and I had to find a pharmacy at midnight.",
            "Our anniversary dinner was ruined.",
        ),
        "action": (
            "prepared a fresh {dish} and removed it from the bill",
            "had the head chef check the ingredient batch and called to ask how you are feeling",
        ),
        "cause": (
            "the dish sat at the pass too long because we were short of runners",
            "that day's delivery was not temperature-checked on arrival",
            "a cook on that shift was not wearing a hair net as required",
            "the waiter keyed in the wrong dish",
        ),
        "prevent": (
            "limit any dish to 5 minutes at the pass",
            "check the temperature and dates of every delivery on arrival",
            "check uniforms and hair nets at the start of every shift",
            "read the order back to the guest before it goes to the kitchen",
        ),
    },
    "slow-service": {
        "subject": ("Very slow service", "Waited {minutes} minutes for food"),
        "problem": (
            "We ordered at {time} and the first dish came {minutes} minutes later.",
            "Restaurant was almost empty but no staff came, even the bill took 20 minutes.",
            "~Table {table} waited {minutes} minutes, people who came after us got food first.",
            "^Breakfast buffet ran out and nobody refilled, waited almost {minutes} minutes for eggs.",
        ),
        "impact": (
            "I was late for my afternoon meeting.",
            "My guests had to leave early, very embarrassing.",
        ),
        "action": (
            "reviewed the order sequence with the restaurant manager and took the drinks off the bill",
            "added waiting staff at peak times",
        ),
        "cause": (
            "the order never printed in the kitchen because the printer jammed",
            "the evening shift was two people short after sudden absences, with no cover",
        ),
        "prevent": (
            "test the kitchen printer at the start of each shift and flag orders waiting over 15 minutes",
            "keep a list of standby staff for weekend evening shifts",
        ),
    },
    "room-service": {
        "subject": (
            "^Room service to room {room} took too long", "~Delivery late and incomplete", "Wrong food delivered",
        ),
        "problem": (
            "Ordered {dish} to room {room} at {time}, it came more than {minutes} minutes later and stone cold.",
            "Room service to room {room} was missing items, when I called reception they told me to wait more.",
            "~Ordered {dish} for delivery by phone, it was {minutes} minutes late and the soup spilled in the bag.",
            "~The delivery was missing two portions of {dish} but we were charged the full {amount}.",
        ),
        "impact": (
            "Everyone was starving, my little one had to eat crackers for dinner.",
            "I had a call at {time} so I ended up skipping dinner.",
        ),
        "action": (
            "^prepared a fresh {dish} and brought it to room {room} within 20 minutes",
            "~delivered the missing items straight away and refunded the faulty dishes",
            "checked the order with the kitchen and waived the charge for it",
        ),
        "cause": (
            "the kitchen had a single cook on the late shift covering both the restaurant and room service",
            "the order was written by hand and items were lost on the way to the kitchen",
        ),
        "prevent": (
            "enter every order in the system and check each item before it leaves",
            "tell guests the expected wait time upfront when the kitchen is busy",
        ),
    },
    "spa": {
        "subject": ("Spa appointment cancelled or wrong", "Spa service not as promised"),
        "problem": (
            "I booked a {treatment} at {time}, when I arrived the spa said it was cancelled, nobody told me.",
            "Paid {amount} for a {treatment} and the therapist rushed it, finished well before the time.",
            "The treatment room smelled musty, towels were not clean and the therapist chatted the whole time.",
        ),
        "impact": (
            "I kept the last afternoon of my holiday free for this.",
            "My neck and shoulders hurt more than before.",
        ),
        "action": (
            "rebooked the {treatment} with our senior therapist free of charge",
            "refunded the treatment and spoke with the therapist",
        ),
        "cause": (
            "the appointment was taken by phone but never entered in the spa diary",
            "the spa booked too many guests into the same slot and shortened treatments",
            "the treatment room was not checked between guests",
        ),
        "prevent": (
            "send a spa appointment confirmation one day ahead",
            "cap bookings per slot by the number of therapists on duty",
            "use a cleaning checklist after every guest and remind therapists of our standards",
        ),
    },
    "billing": {
        "subject": ("Wrong charge on the bill", "Charged twice"),
        "problem": (
            "^The bill for room {room} has a minibar charge of {amount} but we did not use the minibar at all.",
            "My card was charged {amount} twice for the same bill.",
            "~The bill for table {table} has two extra bottles of wine, {amount} in total, we never ordered them.",
            "Service charge and VAT were added twice, the total is {amount} more than the quote.",
        ),
        "impact": (
            "I spent the whole morning on the phone with my bank.",
            "This is a business trip and I cannot claim it with my company like this.",
        ),
        "action": (
            "refunded {amount} to the card and issued a corrected invoice",
            "checked the transaction with the bank and voided the duplicate charge of {amount}",
        ),
        "cause": (
            "the card terminal froze and the cashier swiped again without checking the first transaction",
            "a room or table number was keyed in wrongly when items were added to the bill",
            "the billing system added service charge and VAT twice after an update",
        ),
        "prevent": (
            "check the transaction history before any card is swiped again",
            "read the bill through with the guest before payment",
            "check a sample bill after every system update",
        ),
    },
}

TEXTS: dict[str, tuple[str, ...]] = {
    "opening": (
        "Hello,", "Hi there,", "Dear {hotel} team,", "I am writing to complain about my stay.",
        "Hi, I am staying in room {room}.", "Good evening,",
    ),
    "impact": (
        "It really spoiled our evening.", "I lost almost an hour because of this.",
        "This was our wedding anniversary trip so we are very disappointed.",
        "I recommended this place to my friends and now I feel embarrassed.",
    ),
    "want": (
        "Please look into this and reply asap.", "I would like to speak with a manager.",
        "Please fix this before {time} today.",
        "I don't need compensation, just please make sure it doesn't happen again.",
        "I would like an explanation.",
    ),
    "want_money": ("I would like a refund.", "Please refund the {amount}."),
    "signoff": ("Thanks.", "Kind regards,\n{name}", "Looking forward to your reply.", "Thank you"),
    "ack": (
        "Dear {short}, this is {agent} from {hotel}. I am very sorry about this. I have passed it to the team "
        "concerned straight away and will update you within the hour.",
        "Hi {short}, thank you for letting us know, and we are sorry we let you down. I am looking into it right "
        "now and will come back to you as soon as possible.",
        "Dear {short}, my sincere apologies. This is our mistake and I, {agent}, will personally follow it up and "
        "reply to you today.",
    ),
    "ask_when": (
        "^So we can sort this out quickly, could you tell me your room number and roughly when it happened?",
        "~Could you tell me your table number and roughly what time you were with us?",
    ),
    "answer_when": ("Room {room}, around {time} yesterday.", "Table {table}, about {time} last night.",
                    "It's room {room}, about {time}."),
    "ask_photo": ("Could you send us a photo of the receipt or of the problem? Thank you.",),
    "answer_photo": (
        "I sent the photo of the receipt, total {amount}.", "Photo attached.", "Here is the photo, please check.",
    ),
    "ask_phone": ("Could you share a phone number so we can call you back directly?",),
    "answer_phone": ("You can call me on the number in my booking after 5pm.", "Please use the number on my booking."),
    "chaser": ("Why has nobody replied yet?", "Any update on this please?", "I have been waiting since this morning."),
    "thanks": (
        "Thank you, it is fine now.", "Ok thanks for sorting it out so quickly.",
        "Thanks a lot {agent}, we will come back next time.", "Alright, thank you.",
    ),
    "unhappy": ("Still not fixed, same problem as before.", "I have not received the refund yet.",
                "Sorry but this is not an acceptable solution for me."),
    "update": (
        "Dear {short}, we have {action}. The cause was that {cause}, and that is entirely our fault. We will "
        "{prevent} so it does not happen again. As an apology, {hotel} would like to {remedy}. Again, we are sorry.",
        "Hi {short}, an update: we have {action}. We looked into it and {cause}. From this week we {prevent}. "
        "Please accept our apology and let us {remedy}. Is everything all right for you now?",
        "Dear {short}, I am truly sorry for the trouble this caused you. We have {action}, and we would like to "
        "{remedy}. I will call you tomorrow to check everything is fine.",
    ),
    "note": (
        "Called the guest, still quite upset. Promised an update before {time}.",
        "Regular guest, has been with us at {hotel} many times. Handle with care.",
        "Informed the head of department, waiting for approval of the remedy.",
        "Checked the shift log: the incident happened as the guest describes.",
        "Guest reports: {subject}. We have {action}.",
        "First finding on the cause: {cause}.",
    ),
    "call_note": (
        "Called the guest, apologised and explained the cause ({cause}). Guest accepted our offer to {remedy}.",
        "Called the guest back at {time}; they know what we are doing and have no further questions.",
    ),
    "escalation": (
        "Guest is asking for a manager.", "Guest says they will post a 1-star review on Google and TripAdvisor.",
        "Beyond the front desk's compensation authority, needs a manager's approval.",
        "Second failure for the same guest.",
    ),
    "resolution": (
        "{Action}. Cause: {cause}. Agreed to {remedy}. Guest confirmed they are satisfied.",
        "{Action}; offered to {remedy}. Followed up by phone, guest is fine.",
        "{Action}. Prevention: {prevent}. No further reply from the guest.",
    ),
    "reopen": (
        "Guest says the problem was not really fixed.", "Guest has not received the refund; reopened to follow up.",
    ),
}

REMEDIES: dict[str, str] = {
    "refund": "refund {amount}",
    "waive": "waive the {amount} on the bill",
    "dinner": "host dinner for two in our restaurant",
    "breakfast": "^include breakfast free of charge for the rest of the stay",
    "upgrade": "^upgrade the room for the remaining nights",
    "late_checkout": "^extend check-out to 4pm free of charge",
    "spa": "^give a 60-minute spa voucher",
    "discount": "take 30% off this bill",
    "dessert": "~serve dessert and drinks for the whole table on the house",
    "next_visit": "give a 20% voucher for the next visit",
}

# How staff start the description when they log a call or a walk-in in the guest's words.
LOGGED: dict[str, tuple[str, ...]] = {
    "phone": ("Guest called to report: ", "Call to the hotline: "),
    "in_person": ("Guest came to the desk: ", "Guest told our staff in person: "),
}
