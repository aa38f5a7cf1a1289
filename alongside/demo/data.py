"""The demo network's words and names: surgeries, groups, people, what they came for.

Plausible, not real: the places and groups are Dudley borough's kind, the people are made up,
and every email address is at a reserved example domain.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DESCRIPTION = (
    "Bring a laptop, tablet or phone and whatever you're trying to do online. A volunteer "
    "will sit alongside you, ask what your group wants to achieve, and help you do it there "
    "and then: a Facebook page, a simple website, a newsletter, a fundraising page. It isn't "
    "training and nobody will lecture you. It's free; buy your helper a cuppa if you like."
)
WHO_FOR = (
    "Community groups, charities, clubs, residents' associations and active citizens: anyone "
    "doing good locally, however small or informal. It isn't for businesses or party politics."
)

# Sessions are spaced from the first upcoming date backwards, so the number held never
# depends on the day the demo is built. `ahead` is how soon the next session comes.
# fmt: off
SURGERIES: list[dict[str, Any]] = [
    dict(
        slug="dudley", place="Dudley", host="Dudley CVS", email="surgeries@dudleycvs.example",
        contact="Melissa Guest", weekday=2, start=dt.time(17, 30), end=dt.time(19, 30),
        weeks=4, held=24, upcoming=2, ahead=8, per_session=(4, 6),
        intro="Our first surgery, meeting on a Wednesday evening every four weeks.",
        venues=[
            ("The Copper Kettle Café", "14 Castle Street, Dudley", "DY1 1LQ",
             "Step-free entrance; accessible toilet; quieter tables at the back."),
            ("Dudley CVS meeting room", "7 Albert Street, Dudley", "DY1 1HE",
             "Ground floor; hearing loop; accessible toilet."),
        ],
    ),
    # Its day and hours are the console's session's (alongside.demo.clock): on now when the
    # demo starts on a weekday morning or evening. Evenings are at the library: cafés close.
    dict(
        slug="stourbridge", place="Stourbridge", host="Dudley CVS",
        email="stourbridge@dudleycvs.example", contact="Lorna Prescott", weeks=2, held=20,
        upcoming=2, per_session=(4, 6),
        intro="A {weekday} {part} surgery every other week, just off the High Street.",
        venues=[
            ("Bean & Leaf Café", "48 High Street, Stourbridge", "DY8 1DE",
             "Step-free entrance; accessible toilet."),
            ("Stourbridge Library", "Crown Centre, Crown Lane, Stourbridge", "DY8 1YE",
             "Lift to the first floor; accessible toilet; free wifi."),
        ],
    ),
    dict(
        slug="halesowen", place="Halesowen", host="Halesowen Community Network",
        email="hello@halesowencommunity.example", contact="Melissa Guest", weekday=1,
        start=dt.time(13, 30), end=dt.time(15, 30), weeks=13, held=8, upcoming=1, ahead=20,
        per_session=(3, 5),
        intro="A Tuesday afternoon surgery a few times a year, in the town centre.",
        venues=[
            ("Cornbow Community Hub", "Cornbow Shopping Centre, Hagley Street, Halesowen",
             "B63 4AJ", "Step-free entrance; accessible toilet next door."),
        ],
    ),
    dict(
        slug="brierley-hill", place="Brierley Hill", host="Brierley Hill Community Forum",
        email="surgery@brierleyhillforum.example", contact="Melissa Guest", weekday=0,
        start=dt.time(17, 30), end=dt.time(19, 30), weeks=13, held=8, upcoming=1, ahead=30,
        per_session=(3, 5),
        intro="A Monday evening surgery a few times a year, close to the High Street.",
        venues=[
            ("Moor Street Community Centre", "Moor Street, Brierley Hill", "DY5 3SU",
             "Step-free entrance; accessible toilet; car park at the rear."),
        ],
    ),
    # Dormant: its last session was eight months ago and nothing is planned.
    dict(
        slug="sedgley", place="Sedgley", host="Sedgley Community Association",
        email="sedgley@dudleycvs.example", contact="Melissa Guest", weekday=4,
        start=dt.time(10), end=dt.time(12), weeks=8, held=3, upcoming=1, ahead=-245,
        per_session=(2, 4),
        intro="A Friday morning surgery in the village centre, resting until a new organiser "
        "takes it on.",
        venues=[
            ("Bull Ring Community Room", "Bull Ring, Sedgley", "DY3 1RX",
             "Step-free entrance; accessible toilet."),
        ],
    ),
    # Online only, for anyone in the region: no venue, a video link on every session.
    dict(
        slug="black-country-online", place="Online, anywhere in the Black Country",
        name="Black Country Online Social Media Surgery", host="Black Country Community Network",
        email="online@blackcountrynetwork.example", contact="Sam Okafor", weekday=3,
        start=dt.time(19), end=dt.time(20, 30), weeks=4, held=3, upcoming=2, ahead=5,
        per_session=(3, 5), online_url="https://meet.example.org/black-country-surgery",
        intro="An online surgery on a Thursday evening every four weeks, by video call, for "
        "groups anywhere in the Black Country.",
        description=(
            "Join from home on a laptop, tablet or phone, with whatever you're trying to do "
            "online. A volunteer will talk it through with you on the call, ask what your group "
            "wants to achieve, and help you do it there and then: a Facebook page, a simple "
            "website, a newsletter, a fundraising page. It isn't training and nobody will "
            "lecture you. It's free. The link to join comes with your booking."
        ),
        venues=[],
    ),
]
# fmt: on

# kind: names, separated by semicolons; a kind may take several lines.
ORGANISATIONS = """
friends: Friends of Mary Stevens Park; Friends of Leasowes; Friends of Huntingtree Park
friends: Friends of Buckpool and Fens Pool; Friends of Saltwells Wood; Friends of Priory Park
sports: Stourbridge Rugby Club; Halesowen Harriers; Lye Walking Football
sports: Brierley Hill Bowls Club; Kingswinford Netball Club; Wollaston Cricket Club
sports: Amblecote Cycling Club
residents: Netherton Residents' Association; Wollescote Tenants and Residents
residents: Brockmoor Residents' Group; Quarry Bank Community Association
residents: Russells Hall Residents' Association; Hasbury Neighbourhood Watch
charity: Halesowen Food Bank; Black Country Carers Network; Dudley Parkinson's Support Group
charity: Brierley Hill Foodshare; Lye Community Pantry; Dudley Young Carers Project
charity: Halesowen Dementia Café; Stourbridge Hospice Shop volunteers
community: Black Country Veterans' Breakfast Club; Sedgley Local History Society
community: Stourbridge Glass Heritage Group; Dudley Canal Volunteers; Gornal Men's Shed
community: Kingswinford Knit and Natter; Halesowen Abbey Singers; Stourbridge Repair Café
community: Brierley Hill Camera Club; Coseley Allotment Society; Pensnett Toddler Group
community: Dudley Pride Community Group; Wordsley Women's Institute; 1st Amblecote Scouts
community: Lye and Wollescote Litter Pickers; Dudley Polish Saturday School
community: Dudley Borough Youth Theatre
faith: St Thomas's Church, Dudley; Halesowen Baptist Church; Dudley Gurdwara Youth Group
faith: Dudley Central Mosque Sisters' Circle; Stourbridge Quaker Meeting
faith: Brierley Hill Methodist Church
social_enterprise: The Glasshouse Café CIC; Dudley Community Bike Hub; Black Country Bakehouse
social_enterprise: Halesowen Community Radio; Wren's Nest Forest School
social_enterprise: Stourbridge Makers' Market CIC
other: Stourbridge Festival Committee; Halesowen Christmas Lights Committee
other: Save Brierley Hill Baths; Netherton Carnival Committee
"""
ORG_KINDS = {
    name.strip(): kind
    for line in ORGANISATIONS.strip().splitlines()
    for kind, names in [line.split(":", 1)]
    for name in names.split(";")
}
ORG_NAMES = list(ORG_KINDS)

FIRST_NAMES = """Amy Andrew Aisha Alan Ann Barbara Bernadette Bev Brian Carol Chloe Colin Craig
Darren Dawn Deborah Dean Declan Eileen Emma Faisal Fatima Gary Gemma Graham Gurpreet Hannah
Harjit Hazel Ian Imran Jackie Jade Janet Jason Jean Joanne Kamal Karen Kate Keith Kerry Kwame
Laura Leanne Lesley Lisa Liam Lynne Marcia Margaret Mark Maureen Michelle Mohammed Nadia Neil
Nicola Paul Pauline Priya Rachel Rajinder Ray Rebecca Roy Ruth Sadia Samantha Sandra Sean
Shabana Sharon Simon Sophie Stuart Susan Tariq Tom Tracey Trevor Vanessa Wayne Winston Yasmin
Zofia Zoe"""
SURNAMES = """Adams Ahmed Akhtar Allen Bailey Baker Banks Bennett Bibi Bird Brookes Butler Campbell
Clarke Cole Cooper Cox Davies Dhillon Edwards Evans Fellows Fisher Foster Gill Green Griffiths Hall
Harris Hartill Hill Hingley Holmes Hughes Hussain Jackson James Johal Jones Kaur Khan Kowalski Lewis
Mason Mills Moore Morgan Nowak O'Connor Parkes Patel Payton Perry Phillips Price Raybould Richards
Roberts Robinson Rowley Sahota Shaw Singh Smith Taylor Thomas Thompson Timmins Turner Walker Ward
Watson Webb Westwood White Williams Wood Wright Young"""
DOMAINS = ["example.org", "example.com", "example.net", "mail.example"]

# goal | topic slugs it is about
GOALS = """
Get more volunteers for our litter picks | facebook whatsapp
Set up a Facebook page for the club | facebook
Make a simple website people can find on Google | website google-microsoft
Update our website without paying someone every time | website
Start a monthly email newsletter for members | newsletters
Raise money online for a new minibus | fundraising
Put our photos of the park online | photos-video instagram
Start an Instagram account to show what we do | instagram photos-video
Keep our WhatsApp group friendly and manageable | whatsapp safety
Check privacy settings before we post photos of children | safety photos-video
Share documents between committee members | google-microsoft
Tell people about our events without printing leaflets | facebook newsletters
Work out whether we still need to be on X | x-twitter
Get our opening times showing on Google Maps | google-microsoft website
Find new players for the junior teams | facebook instagram
Take bookings for our sessions online | website google-microsoft
Make short videos of our work to show funders | photos-video
Set up a JustGiving page for our sponsored walk | fundraising
Hand over the Facebook page now our secretary is stepping down | facebook safety
Write a blog about the history of our area | website
Reach younger people in the neighbourhood | instagram other
Stop the spam coming through our contact form | website safety
Get a shared email address for the group | google-microsoft
Understand what the rest of the committee keeps talking about | other
"""
GOAL_TOPICS = [
    (goal.strip(), slugs.split())
    for goal, slugs in (line.split("|") for line in GOALS.strip().splitlines())
]

NOTES = {
    "facebook": "Set up a Facebook page with a cover photo, and made two committee members admins.",
    "instagram": "Created an Instagram account and posted the first photos together.",
    "x-twitter": "Tidied the X profile and talked through whether it is worth keeping going.",
    "website": "Built a simple site with a free website builder and added the meeting times.",
    "newsletters": "Set up a free newsletter list and a sign-up form.",
    "fundraising": "Set up an online fundraising page and wrote the story for it together.",
    "photos-video": "Filmed and trimmed a short video on a phone, then uploaded it.",
    "safety": "Went through privacy settings and turned on two-step sign-in for the accounts.",
    "google-microsoft": "Set up a shared drive for committee papers and a Google Business Profile.",
    "whatsapp": "Set up a WhatsApp community with separate groups for news and for volunteers.",
    "other": "Talked through what the group wants online and agreed one small first step.",
}
# Where a site set up for a topic usually lives; {h} is the group's handle, {s} its slug.
LINKS = {
    "facebook": "https://www.facebook.com/{h}",
    "instagram": "https://www.instagram.com/{h}",
    "x-twitter": "https://x.com/{h}",
    "website": "https://{s}.org.uk",
    "fundraising": "https://www.justgiving.com/crowdfunding/{s}",
    "photos-video": "https://www.youtube.com/@{h}",
    "google-microsoft": "https://sites.google.com/view/{s}",
}

# name | specialities | surgeries they usually help at
SURGEONS = """
Melissa Guest | facebook x-twitter whatsapp | dudley stourbridge halesowen brierley-hill sedgley
Lorna Prescott | website newsletters safety | dudley stourbridge
Amrit Sandhu | website google-microsoft | dudley halesowen black-country-online
Becky Fellows | facebook instagram photos-video | dudley
Alison Hadley | newsletters facebook | dudley brierley-hill sedgley
Pete Ashworth | website safety | stourbridge
Naz Iqbal | instagram photos-video | stourbridge halesowen
Gareth Price | x-twitter website | stourbridge
Sunita Mistry | google-microsoft newsletters | stourbridge dudley black-country-online
Chris Bytheway | website fundraising | halesowen brierley-hill
Jo Willetts | facebook fundraising | brierley-hill dudley sedgley
Marcus Reid | photos-video instagram | dudley
Helen Cartwright | safety whatsapp facebook | stourbridge
Tom Oakley | website google-microsoft | dudley
Rubina Ali | facebook whatsapp | brierley-hill stourbridge
Steve Harper | x-twitter photos-video | halesowen
Kirsty Nash | newsletters fundraising | dudley stourbridge black-country-online
Owen Pritchard | website other | stourbridge black-country-online
Sam Okafor | instagram facebook | dudley halesowen black-country-online
Ellie Marsh | photos-video website | stourbridge brierley-hill
Baljit Rai | google-microsoft safety | dudley
Viv Hollis | facebook newsletters other | halesowen brierley-hill sedgley
"""
SESSION_NOTE = "Bring your phone or laptop, and the passwords for your accounts."
ACCESS_NEEDS = [
    "I use a wheelchair, so step-free access please.",
    "A quiet table if possible: I find noise hard.",
    "Large print would help me.",
    "I'll have my assistance dog with me.",
]
DECLINED = (
    "Dave's Vans Ltd",
    "Get more customers for my van hire business on Facebook",
    "Thank you for booking, Dave. Surgeries are for community groups, charities and clubs, so "
    "we can't help with a business. The Black Country Growth Hub gives free advice to small "
    "firms, including on social media.",
)
SITES = 45  # as Dudley CVS recorded: "45 website and social media sites"
FOLLOW_UP_COMMENTS = [
    "We've had three new volunteers from the Facebook page already.",
    "Still a bit nervous about posting, but getting there.",
    "The committee can all find the papers now. No more lost emails!",
    "I've shown two other members how to do it.",
    "Haven't had time since, but I know where to start.",
    "People keep telling us they found us on Google.",
]
FORMER_PATIENTS = 4  # people helped who came back later to help others
STAFF = {"Melissa Guest": "melissa@dudleycvs.example", "Lorna Prescott": "lorna@dudleycvs.example"}
