#!/usr/bin/env python3
"""Regenerate larch's bundled sample archive.

    python3 sample/mksample.py [--out DIR] [--verify]

Writes, under DIR (default: the folder this script lives in):

  pipermail/policy-forum/YYYY-Month.txt.gz   Mailman 2.1 pipermail monthly
                                             text archives of the fictional
                                             "policy-forum" list, 2023-2024
  mbox/bpf-cybersecurity.mbox                one subscriber's mboxrd of the
                                             fictional "bpf-cybersecurity" list
  truth.jsonl                                one JSON object per message copy
  README.md                                  description and exact counts

Everything is invented: people, organisations, places and text.  Only
example.org / example.net / example.com domains and documentation IP ranges
are used.  The output is fully deterministic (seeded RNG, gzip mtime 0, no
dependence on the clock, locale, hash seed or time zone); --verify
regenerates into a temporary folder, compares the bytes with DIR and checks
the output against truth.jsonl.  Standard library only.
"""

import argparse
import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import mailbox
import os
import quopri
import random
import re
import shutil
import sys
import tempfile
import textwrap
import zlib

SEED = 20230101
UTC = dt.timezone.utc
HOST = "lists.example.org"
PF = "policy-forum"
BPF = "bpf-cybersecurity"
LISTS = {
    PF: dict(real="Policy-forum", prefix="[Policy-forum]",
             desc="Internet Policy Coordination Forum steering group"),
    BPF: dict(real="Bpf-cybersecurity", prefix="[Bpf-cybersecurity]",
              desc="Best Practice Forum on Cybersecurity"),
}
SUBSCRIBER = "ipcf-archive@example.net"   # owner of the bpf mbox
CITY = {2023: "Valmora", 2024: "Kestrel Bay"}
THEMES = {
    2023: ["digital inclusion", "data governance", "trust and security",
           "sustainability and the environment"],
    2024: ["the future of the Forum", "artificial intelligence",
           "human rights online", "connectivity and access"],
}


def footer(lst):
    real = LISTS[lst]["real"]
    return ("_______________________________________________\n"
            "%s mailing list\n%s@%s\n"
            "https://%s/mailman/listinfo/%s\n" % (real, real, HOST, HOST, lst))


# ---------------------------------------------------------------------------
# People.  tz is the UTC offset in minutes.  client decides quoting style,
# Message-ID, Date format and line wrapping.

class Person:
    def __init__(self, key, name, addr, tz, client, lang="en", first=None,
                 org="", group="", region="", topic="", signoffs=None,
                 sig=None, phone=None, posting=None, wrap=None):
        self.key, self.name, self.addr, self.tz = key, name, addr, tz
        self.client, self.lang = client, lang
        self.first = first or name.split()[0]
        self.org, self.group, self.region, self.topic = org, group, region, topic
        self.signoffs = signoffs or ["Best,\n{first}", "Best regards,\n{first}"]
        self.sig, self.phone, self.posting = sig, phone, posting
        if wrap is None:
            wrap = {"thunderbird": 72, "gnus": 70, "webmail": 76}.get(client, 0)
        self.wrap = wrap
        self.name_ascii = all(ord(c) < 128 for c in name)


PEOPLE = {}


def _p(*a, **kw):
    p = Person(*a, **kw)
    PEOPLE[p.key] = p


_p("amara", "Amara Okafor", "amara.okafor@example.org", 60, "gmail",
   org="Harmattan Policy Lab", group="civil society", region="Africa",
   topic="digital rights and access",
   signoffs=["Best,\nAmara", "Warm regards,\nAmara", "Thanks,\nAmara"])
_p("lukas", "Lukas Brandt", "lukas.brandt@example.org", 60, "outlook",
   org="IPCF Secretariat", group="secretariat",
   signoffs=["Best regards,\nLukas", "Kind regards,\nLukas"],
   sig="Lukas Brandt\nProgramme Officer | Internet Policy Coordination Forum "
       "Secretariat\nhttps://www.example.org/ipcf")
_p("mariana", "Mariana Ferreira", "mariana.ferreira@example.org", 60,
   "outlook-new", org="IPCF Secretariat", group="secretariat",
   signoffs=["Kind regards,\nMariana", "Best regards,\nMariana"],
   sig="Mariana Ferreira\nIPCF Secretariat\nhttps://www.example.org/ipcf")
_p("jose", "José Ramírez Castillo", "jose.ramirez@example.net", -360,
   "gmail", lang="es", first="José", org="Red Andina de Conectividad",
   group="technical community", region="Latin America",
   topic="community networks",
   signoffs=["Saludos,\nJosé", "Un abrazo,\nJosé", "Best,\nJosé"])
_p("zoe", "Zoë Martínez", "zoe.martinez@example.com", 60, "apple",
   org="Fundació Xarxa Oberta", group="civil society",
   region="Western Europe", topic="privacy and data protection",
   signoffs=["Zoë", "Best,\nZoë"], phone="Sent from my iPhone")
_p("hiroshi", "Hiroshi Tanaka", "h.tanaka@example.net", 540, "thunderbird",
   org="Kansai Institute for Network Studies", group="academia",
   region="Asia-Pacific", topic="Internet measurement",
   signoffs=["Best regards,\nHiroshi", "Regards,\nHiroshi"],
   sig="Hiroshi Tanaka, PhD\nKansai Institute for Network Studies (KINS)\n"
       "https://www.example.net/kins/")
_p("priya", "Priya Raghunathan", "priya.r@example.org", 330, "gmail",
   org="Sahyadri Internet Society", group="technical community",
   region="Asia-Pacific", topic="multilingual Internet",
   signoffs=["Best,\nPriya", "Regards,\nPriya", "Thanks,\nPriya"])
_p("anneliese", "Anneliese Becker", "a.becker@example.net", 60,
   "thunderbird", lang="de",
   org="Ministry for Digital Affairs of the Republic of Norland",
   group="government", region="Western Europe", topic="digital policy",
   signoffs=["Best regards,\nAnneliese", "Kind regards,\nAnneliese Becker"],
   sig="Dr. Anneliese Becker\nHead of Unit, International Digital Policy\n"
       "Ministry for Digital Affairs, Republic of Norland")
_p("marguerite", "Marguerite Dubois", "marguerite.dubois@example.org", 60,
   "gmail", lang="fr", org="Association Numérique Solidaire",
   group="civil society", region="Western Europe", topic="digital literacy",
   signoffs=["Bien à vous,\nMarguerite", "Bien cordialement,\nMarguerite",
             "Best,\nMarguerite"])
_p("kwame", "Kwame Mensah", "k.mensah@example.net", 0, "webmail",
   org="Volta Broadband Ltd", group="private sector", region="Africa",
   topic="rural broadband", signoffs=["Kwame", "Regards,\nKwame"])
_p("aroha", "Aroha Ngata", "aroha.ngata@example.org", 780, "iphone",
   org="Tātai Tech Trust", group="civil society", region="Pacific",
   topic="indigenous data sovereignty",
   signoffs=["Ngā mihi,\nAroha", "Aroha"], phone="Sent from my iPhone")
_p("fatima", "Fatima Zahra El Amrani", "fz.elamrani@example.com", 60,
   "gmail", lang="fr", first="Fatima",
   org="Atlas Internet Exchange", group="technical community",
   region="Arab region", topic="Internet exchange points",
   signoffs=["Best regards,\nFatima", "Cordialement,\nFatima Zahra"])
_p("tomasz", "Tomasz Wiśniewski", "tomasz.wisniewski@example.net", 60,
   "thunderbird", org="Vistula Hosting", group="private sector",
   region="Eastern Europe", topic="cloud and hosting",
   signoffs=["Cheers,\nTomasz", "Best,\nTomasz"],
   sig="Tomasz Wiśniewski | Vistula Hosting | public policy")
_p("ayse", "Ayşe Yılmaz", "ayse.yilmaz@example.org", 180, "outlook",
   org="Bosphorus Centre for Technology Policy", group="academia",
   region="Eastern Europe", topic="platform regulation",
   signoffs=["Best,\nAyşe", "Kind regards,\nAyşe"])
_p("rahul", "Rahul Deshpande", "rahul.deshpande@example.com", 330,
   "gmail-new", org="Deccan Telecom Users' Forum", group="civil society",
   region="Asia-Pacific", topic="consumer protection",
   signoffs=["Thanks,\nRahul", "Regards,\nRahul"],
   phone="Sent from my phone")
_p("leilani", "Leilani Kahale", "leilani.kahale@example.net", -600, "apple",
   org="Pacific Islands Connectivity Alliance", group="civil society",
   region="Pacific", topic="submarine cables",
   signoffs=["Mahalo,\nLeilani", "Aloha,\nLeilani"])
_p("olusegun", "Olusegun Adeyemi", "olu.adeyemi@example.org", 60,
   "outlook", first="Olusegun",
   org="Federal Office for the Digital Economy, Republic of Eastmere",
   group="government", region="Africa", topic="digital economy",
   signoffs=["Regards,\nOlusegun", "Best regards,\nOlusegun Adeyemi"])
_p("mohammed", "Mohammed Al-Khatib", "m.alkhatib@example.net", 180, "gmail",
   org="Levant Network Operators Group", group="technical community",
   region="Arab region", topic="routing security",
   signoffs=["Best,\nMohammed", "Regards,\nMohammed"])
_p("camila", "Camila Duarte", "camila.duarte@example.org", -180, "gmail",
   lang="pt", org="Instituto Rede Aberta", group="civil society",
   region="Latin America", topic="human rights online",
   signoffs=["Abraços,\nCamila", "Best,\nCamila"])
_p("siosaia", "Siosaia Tupou", "siosaia.tupou@example.net", 780, "gmail-new",
   org="Moana Digital Collective", group="civil society", region="Pacific",
   topic="youth engagement", signoffs=["Malo,\nSiosaia", "Thanks,\nSiosaia"])
_p("thandiwe", "Thandiwe Dlamini", "thandiwe.dlamini@example.org", 120,
   "apple", org="Ubuntu Cyber Resilience Network", group="civil society",
   region="Africa", topic="cyber capacity building",
   signoffs=["Best,\nThandiwe", "Kind regards,\nThandiwe"])
_p("bogdan", "Bogdan Ionescu", "bogdan.ionescu@example.com", 120, "gnus",
   org="Carpathian Registry", group="technical community",
   region="Eastern Europe", topic="domain names",
   signoffs=["-- Bogdan", "Bogdan"],
   sig="Bogdan Ionescu\nCarpathian Registry -- policy & standards")
_p("rafael", "Rafael Costa", "rafael.costa@example.net", -180, "outlook-pt",
   org="Coletivo Provedores Livres", group="private sector",
   region="Latin America", topic="small ISPs",
   signoffs=["Abs,\nRafael", "Rafael"])
_p("lan", "Nguyễn Thị Lan", "lan.nguyen@example.org", 420, "gmail",
   first="Lan", org="Mekong Digital Futures", group="academia",
   region="Asia-Pacific", topic="digital skills",
   signoffs=["Best regards,\nLan", "Thanks,\nLan"])
_p("elif", "Elif Demir", "elif.demir@example.net", 180, "outlook-new",
   org="Anatolia Digital Business Council", group="private sector",
   region="Eastern Europe", topic="e-commerce",
   signoffs=["Best,\nElif", "Kind regards,\nElif"])
_p("yuki", "Yuki Sato", "yuki.sato@example.org", 540, "gmail",
   org="Institute for Information Policy, Sendai", group="academia",
   region="Asia-Pacific", topic="AI governance",
   signoffs=["Best,\nYuki", "Regards,\nYuki"])
_p("ingrid", "Ingrid Solberg", "ingrid.solberg@example.com", 60,
   "thunderbird", org="Nordkapp Security Research",
   group="technical community", region="Western Europe",
   topic="incident response", signoffs=["Best,\nIngrid", "Regards,\nIngrid"])
_p("dmitri", "Дмитрий Волков", "d.volkov@example.net", 180, "thunderbird",
   first="Dmitri", org="Volga Centre for Information Security",
   group="academia", region="Eastern Europe", topic="CERT cooperation",
   signoffs=["Best regards,\nDmitri", "Regards,\nDmitri Volkov"])
_p("meiling", "陈美玲", "chen.meiling@example.com", 480, "gmail",
   first="Meiling", org="Pearl River Cyber Policy Institute",
   group="academia", region="Asia-Pacific", topic="cyber norms",
   signoffs=["Best regards,\nChen Meiling", "Best,\nMeiling"])
_p("sean", "Seán Ó Briain", "sean.obriain@example.org", 0, "outlook",
   first="Seán", org="Liffey Security Consulting", group="private sector",
   region="Western Europe", topic="security consulting",
   signoffs=["Thanks,\nSeán", "Kind regards,\nSeán"],
   sig="Seán Ó Briain | Liffey Security Consulting\n+353 1 555 0142")
_p("ghostwriter", "Amara Okafor", "amara.okafor@example.org", 60, "gmail")

ROSTER = {
    2023: ["amara", "jose", "zoe", "hiroshi", "priya", "anneliese",
           "marguerite", "kwame", "aroha", "fatima", "tomasz", "ayse",
           "rahul", "leilani", "olusegun", "mohammed", "camila", "siosaia",
           "thandiwe", "bogdan", "rafael"],
    2024: ["amara", "jose", "zoe", "hiroshi", "priya", "anneliese",
           "marguerite", "kwame", "aroha", "fatima", "tomasz", "ayse",
           "rahul", "mohammed", "camila", "siosaia", "thandiwe", "bogdan",
           "lan", "elif", "yuki", "ingrid"],
    "bpf": ["thandiwe", "tomasz", "ingrid", "dmitri", "meiling", "sean",
            "zoe", "marguerite", "hiroshi", "mohammed", "kwame", "priya"],
}

# ---------------------------------------------------------------------------
# Text pools for replies.  Placeholders: {first} (first name of the person
# replied to), {deadline} and {date} (a day after the message), {n},
# {theme}, {city}, {year}.

POOLS = {
"agenda": [
    "Thanks for circulating the draft agenda. Could we add fifteen minutes on the status of the intersessional work? Several facilitators asked to brief the SG before the open consultations.",
    "I would suggest moving the item on the programme structure to the first day, when the remote participants from the Asia-Pacific region can still join at a reasonable hour.",
    "The agenda looks fine to me. One practical point: please share the background documents at least a week in advance, so that those of us who consult our constituencies can do so.",
    "Could the secretariat indicate which parts of the meeting will be recorded and which are closed? Last year there was some confusion about that.",
    "I support keeping the afternoon of the second day open for working group breakouts.",
    "Is there a reason why the update from the host country comes so late? Venue and visa arrangements affect many of the other decisions, so it would help to hear about them early.",
    "For the record, I can only join the first day remotely; I am travelling on the second day.",
    "Can we reserve a slot for the newer members to ask questions? Not everyone has the full picture of how the annual cycle works.",
    "A shorter agenda with clear decision points would be a big improvement over last year.",
    "Please note that {date} is a public holiday in several countries. If the meeting cannot move, could the recordings be made available the same day?",
    "I would like to propose an AOB item on the accessibility of the venue for participants with disabilities.",
    "The time allocated to the stocktaking seems short given the number of inputs received. Perhaps it can be merged with the item on themes.",
    "Would it be possible to circulate a one-page overview of the decisions we are expected to take? It helps to prepare.",
],
"cfi": [
    "Thank you for launching the call. Will inputs received after {deadline} still be considered, or is the deadline firm this year?",
    "Our constituency is preparing a joint submission. We hope to send it by {deadline}.",
    "Could the template also be made available as a document? Several organisations in my region have unreliable connectivity and prefer to work offline.",
    "It would be useful if the synthesis distinguished between contributions from governments, civil society, the technical community and the private sector.",
    "I have shared the call with the national and regional initiatives in my region. Some of them asked whether translations are planned.",
    "The questions are clear, but the third one is very broad. Could we give a few examples of the kind of input we are looking for?",
    "I would encourage all of us to circulate this widely. Last year the number of submissions from the Global South was disappointingly low.",
    "Could the secretariat publish the inputs as they come in, rather than all at once after the deadline? That would make the process more transparent.",
    "Just to confirm: are individual submissions welcome, or only those from organisations?",
    "A short reminder about the call a week before {deadline} would be helpful.",
],
"draft": [
    "Many thanks to the drafting team for the quick turnaround. Overall the text reads well.",
    "In paragraph {n}, I would replace \"stakeholders agreed\" with \"many stakeholders stressed\". We did not hear agreement on that point in the session.",
    "The section on capacity development is much shorter than the discussion in the room. Could we add a sentence on the role of the regional initiatives?",
    "I am not comfortable with the reference to a \"consensus\". The outputs of the Forum are not negotiated, and the text should not suggest otherwise.",
    "My comments are in the shared document. Most of them are editorial.",
    "Could we have a version with tracked changes against the previous draft? It is difficult to see what has been modified.",
    "I suggest we keep the executive summary to one page. Longer summaries tend not to be read by the people we most want to reach.",
    "The recommendations in section {n} are a good start, but some of them are addressed to nobody in particular. Who is expected to act on them?",
    "We should avoid introducing language in the final version that was never discussed publicly.",
    "Minor point: acronyms are not spelled out on first use, which will confuse readers who are new to the process.",
    "When will the text be open for public comment, and for how long?",
    "From my side the draft can go forward once the edits proposed by {first} are incorporated.",
    "The tone of the introduction is rather celebratory. A more sober description of what was discussed would be more credible.",
],
"travel": [
    "Could you clarify whether the travel support covers visa fees? In my case they are substantial.",
    "I submitted my application on {date} but have not received an acknowledgement yet.",
    "Is there any support for participants who need to travel with a personal assistant?",
    "The per diem rates seem low for the host city, especially for hotels close to the venue.",
    "The form asks for a letter from the nominating organisation. Is an email from the organisation sufficient?",
    "For those of us coming from the Pacific, the cheapest routes involve two overnight connections. Could arrival a day earlier be considered?",
    "I will not need travel support this time, so please give my place to someone else.",
    "What is the expected timeline for decisions on the applications? Flight prices are going up quickly.",
    "Many thanks for the quick reply, that answers my question.",
    "Could the criteria for prioritising applications be shared with the SG? It would help us explain the process to our communities.",
],
"intersessional": [
    "The BPF on cybersecurity held its kick-off call with about forty participants. The recording and notes are on the BPF page.",
    "The policy network on meaningful access is finalising its work plan. We would welcome SG members in its multistakeholder working group.",
    "I wonder whether we have too many intersessional tracks for the resources available. Fewer tracks with more support might produce better results.",
    "It would help if each intersessional activity reported to the SG using a common template, so that we can compare progress.",
    "Could the facilitators share the list of planned public calls? Several of us would like to attend.",
    "Coordination between the BPFs and the regional initiatives could be stronger. The same questions are being discussed in parallel without much exchange.",
    "I am happy to act as SG liaison for the BPF on gender and access if no one else has volunteered.",
    "The consultant support arrived late last year, which delayed the reports. I hope this can be avoided this cycle.",
    "Is there a plan to present the intersessional outputs in a main session, or only in their own slots?",
    "The survey launched by the policy network has received {n} responses so far, mostly from Europe. Help with outreach in other regions would be appreciated.",
],
"proposals": [
    "Thank you for the clear explanation. How many proposals will each evaluator be assigned?",
    "I have a conflict of interest with two proposals in my batch, as my organisation is a co-organiser. Could they be reassigned?",
    "The criteria give a lot of weight to the diversity of speakers, which I support. But how do we score proposals where most speakers are still to be confirmed?",
    "I finished my evaluations yesterday. Some proposals are very similar to each other; we should encourage mergers.",
    "Could the deadline for evaluations be extended by a few days? Several of us were travelling for the regional meeting.",
    "A number of proposals do not include any remote speakers. Should that count against them?",
    "Is the evaluation blind, or can we see the names of the organisers?",
    "My batch contains {n} proposals on artificial intelligence and almost none on access. Perhaps the batches could be balanced by theme.",
    "Done with my batch. One proposal had a broken link to its description; I have told the secretariat.",
    "Would it be possible to receive the spreadsheet as a file? The online tool logs me out every few minutes.",
    "Proposals from first-time organisers should get some consideration, even if their descriptions are less polished.",
    "Should workshop proposals and open forum proposals be scored on the same scale? They serve very different purposes.",
],
"rapporteur": [
    "Thank you for the excellent report. One small correction: the speaker from the regional registry was from the Caribbean, not Central America.",
    "I attended the session as well and would add that several participants raised the issue of language barriers.",
    "Could the key takeaways be kept to three or four bullet points? That makes it much easier to compile the overall summary.",
    "This is very helpful. Will the report also be posted on the session page?",
    "The report captures the discussion well. The call to action at the end may be a bit stronger than what the panel actually said.",
    "I volunteer as rapporteur for the main session on {theme}.",
    "Happy to take the session on {theme} if nobody else has.",
    "Could the secretariat share the template for the reports again? I cannot find it.",
    "I can be a backup rapporteur for any session on the second day.",
    "I will be moderating the session on {theme}, so I cannot also be its rapporteur. Happy to help with another one.",
],
"decision": [
    "Thank you for the summary. For accuracy, I recall that the SG agreed to revisit the number of main sessions later, not to fix it now.",
    "The summary matches my notes. Good to see the decision on the themes recorded clearly.",
    "Could we add that the SG agreed to publish the evaluation criteria before the call opens?",
    "One point is missing: the working group on strengthening the Forum was asked to report back at the next meeting.",
    "I am fine with the summary as drafted.",
    "The sentence on the high-level track suggests a decision that I do not think was taken. My understanding is that it remained under discussion.",
    "Thanks to the secretariat for the quick turnaround. When will the summary be published on the website?",
    "The action items are clear. May I suggest adding an owner and a date to each of them?",
    "The SG agreed to keep the number of themes at four, so I would remove the reference to a possible fifth track.",
    "Noted, and thank you. I will share the relevant parts with my constituency.",
],
"logistics": [
    "I will attend in person, arriving on {date}.",
    "Confirming in-person participation. I will need a visa support letter.",
    "I will join remotely, as I am unable to travel this time.",
    "In person, both days. Thank you for organising.",
    "I will be there for the first day only.",
    "Remote participation for me, unfortunately. Please send the connection details when available.",
    "Confirmed, in person. No dietary restrictions.",
    "I will attend in person. Could the secretariat recommend hotels within walking distance of the venue?",
    "Attending online. I am many hours ahead of the venue, so I may miss the late afternoon sessions.",
    "In person. I am also happy to help with the orientation session on the first morning.",
    "I plan to attend in person but my travel is not yet confirmed. I will update you by {deadline}.",
],
"themes": [
    "I understand the appeal of a single overarching theme, but I worry it will be so broad that every session fits under it and it ends up meaning nothing.",
    "With respect, I disagree. The four-theme structure worked well last year and participants found it easy to navigate.",
    "Could we try a compromise: two main themes, each with a few sub-themes that proposals can choose from?",
    "The inputs show strong interest in data governance and in digital inclusion. Those two should be visible whatever structure we choose.",
    "We keep coming back to the same question. Perhaps the secretariat could prepare two options with their implications for the programme, and we decide at the meeting.",
    "I am not convinced that \"emerging technologies\" is a useful theme. Everything is emerging until it is not.",
    "The regional initiatives have asked for continuity between their themes and ours. Changing the structure every year makes that difficult.",
    "We should also think about how the themes translate into main sessions. Last year two of the main sessions overlapped almost completely.",
    "Let us not spend another month on wording; the substance of the sessions matters more than the labels.",
    "Just to make sure we do not lose the point on human rights: it should be a cross-cutting element, not a separate theme that can be ignored.",
    "I can live with the compromise, provided the sub-themes are short and written in plain language.",
    "For the sake of moving forward, I withdraw my alternative proposal and support the two-theme structure.",
    "Could someone summarise where we are? I have lost track of which version we are discussing.",
    "Fair point. We should test the wording with a few people outside the SG before we finalise it.",
    "I share the concern about breadth. But a narrow theme risks excluding communities that are only starting to engage.",
    "Keep in mind the proposals we will receive: a very specific theme may leave many of them out of scope.",
    "The environment came up in almost every regional input. I would be sorry to see it folded into a sub-theme.",
    "If we go for sub-themes, let us cap them at three per theme. Otherwise the call becomes a catalogue.",
],
"hltrack": [
    "I share Camila's concern. Closed sessions with invited speakers only are hard to explain to our communities.",
    "The high-level track brings ministers and CEOs who would not come otherwise. I would not give that up lightly.",
    "Streaming the sessions and taking remote questions seems a reasonable compromise.",
    "Could the secretariat tell us how the speakers for the high-level track were selected last year?",
    "If the track stays, at least one seat on each panel should go to civil society or the technical community.",
    "The host country has strong views on this track. We should hear from them before we decide.",
    "Perhaps the outcome of the high-level sessions could be reported back in an open main session.",
],
"remote": [
    "The remote hubs last year were a great success in my region. The main difficulty was the time difference.",
    "Can the registration for hubs open earlier this year? Several universities need approval months in advance.",
    "Will the hubs receive any financial support, or only the connection details and materials?",
    "Please make sure captioning is also available in the remote feed. Last year it only appeared in the room.",
    "A single point of contact for hub organisers during the meeting would help enormously.",
    "In our hub we had {n} participants, mostly students. They would like to be able to ask questions in the main sessions.",
    "The bandwidth requirements of the meeting platform should be published in advance, so hubs can test.",
    "I can share our checklist for hub organisers if that is useful.",
],
"outreach": [
    "The newcomers track was one of the best things about last year's meeting. I hope we can keep it and make it a bit longer.",
    "Youth participants told us they felt welcome in the sessions but left out of the informal networking. A mentoring scheme could help.",
    "Could we ask each SG member to mentor two or three newcomers during the annual meeting?",
    "The orientation material is very text-heavy. A short video explaining the process would reach more people.",
    "We should involve the youth coalitions in designing the track rather than designing it for them.",
    "Are there resources for translating the newcomers guide? French and Spanish at least would make a big difference.",
    "We should also think about newcomers who participate online only. They are easily forgotten.",
],
"governance": [
    "Could the secretariat clarify the timeline for the renewal and whether current members can be renominated?",
    "I hope the selection will pay attention to regional and gender balance, which slipped a little last year.",
    "The review is an opportunity, but we should be careful not to let it absorb all of our energy this year.",
    "Will the SG be consulted on the nominations, or is that entirely in the hands of the convening office?",
    "It would be good to have a handover session between outgoing and incoming members.",
    "I second the proposal to publish the criteria used for selecting members.",
    "Our constituency will submit a collective input on the review by {deadline}.",
    "Whatever the outcome of the review, the Forum needs predictable funding. That point should be made clearly in our input.",
],
"social": [
    "Many thanks to everyone, and especially to the secretariat, for an intense but rewarding year.",
    "Thank you all. Wishing you a restful break, and see you next year.",
    "It has been a privilege to serve on the SG. I will stay involved through my regional initiative.",
    "Warm thanks to the chair for her patience and good humour.",
    "Happy holidays to all who celebrate, and a peaceful end of the year to everyone.",
    "Thank you, and a warm welcome to the new members! Do not hesitate to reach out with questions.",
    "What a year. Thank you all for the collegiality, even when we disagreed.",
],
"bpf": [
    "The draft questions look good. I would add one on whether the respondent's organisation has a vulnerability disclosure policy.",
    "I am concerned the survey is too long. Completion rates drop sharply after fifteen minutes.",
    "We should make sure the case studies are not only from large companies. Small and medium enterprises face very different challenges.",
    "I can share a case study from our national CERT on coordination during a ransomware incident, anonymised of course.",
    "The norms we examine were agreed by governments, but their implementation depends on many non-state actors. The report should reflect that.",
    "Could the next call start one hour later? It currently starts at 6 a.m. for participants on the US west coast.",
    "The notes from the call are accurate. One correction: the deadline for case studies is the end of the month, not the 15th.",
    "I support focusing on capacity building. Many of the gaps we see are about people, not technology.",
    "Is there interest in a joint session with the policy network on meaningful access? The security of connectivity infrastructure is a shared concern.",
    "The definitions section needs work. We use \"incident\" and \"attack\" interchangeably, which will confuse readers.",
    "Could we translate the survey into Russian and Chinese? We would reach many more respondents.",
    "I have reviewed chapter two and left comments in the document. The examples are good but need sources.",
    "The executive summary should state clearly what the BPF recommends, and to whom.",
    "I agree with the proposed timeline, as long as the public comment period is at least three weeks.",
    "We would be glad to host a regional consultation on the draft.",
    "Could we add a short glossary? Half of the people I shared the draft with did not know what a CSIRT is.",
    "The section on supply chain security is excellent. Perhaps it could be moved earlier in the report.",
],
}
POOLS["intro"] = []     # built per person
GENERIC_OPEN = [
    "Thanks, {first}.", "Thank you for this, {first}.", "Many thanks for the update.",
    "I agree with {first}.", "+1 to what {first} said.", "Well said, {first}.",
    "Thanks for raising this.", "Good point, {first}.",
]
GENERIC_CLOSE = [
    "Happy to discuss further in the next call.",
    "Let me know if I can help.",
    "Apologies if this was already covered.",
    "Just my two cents.",
    "Looking forward to hearing other views.",
]
GREETINGS = ["Dear all,", "Dear colleagues,", "Hi all,", "Hi {first},",
             "Dear {first},", "Hello everyone,", "Dear {first}, dear all,"]


# ---------------------------------------------------------------------------
# Date helpers.

EN_DOW = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EN_DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
          "Sunday"]
EN_MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
EN_MONTH = ["January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"]
FR_DOW = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
FR_MON = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
          "sept.", "oct.", "nov.", "déc."]
ES_DOW = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"]
ES_MON = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept",
          "oct", "nov", "dic"]
PT_DOW = ["seg.", "ter.", "qua.", "qui.", "sex.", "sáb.", "dom."]
PT_MON = ["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.",
          "set.", "out.", "nov.", "dez."]
PT_DAY = ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira",
          "sexta-feira", "sábado", "domingo"]
PT_MONTH = ["janeiro", "fevereiro", "março", "abril", "maio", "junho",
            "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"]


def tzinfo(minutes):
    return dt.timezone(dt.timedelta(minutes=minutes))


def local(d, minutes):
    return d.astimezone(tzinfo(minutes))


def tzstr(minutes):
    sign = "+" if minutes >= 0 else "-"
    m = abs(minutes)
    return "%s%02d%02d" % (sign, m // 60, m % 60)


def ctime(d):
    """time.ctime() of a UTC instant, as pipermail and mbox write it."""
    d = d.astimezone(UTC)
    return "%s %s %2d %02d:%02d:%02d %d" % (
        EN_DOW[d.weekday()], EN_MON[d.month - 1], d.day, d.hour, d.minute,
        d.second, d.year)


def iso(d):
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_header(d, p, kind=None):
    """The Date header as the author's client writes it."""
    tz = 0 if p.client.startswith("outlook") else p.tz
    l = local(d, tz)
    day = ("%02d" if p.client in ("gnus", "webmail", "outlook", "outlook-new",
                                  "outlook-pt") else "%d") % l.day
    s = "%s, %s %s %d %02d:%02d:%02d %s" % (
        EN_DOW[l.weekday()], day, EN_MON[l.month - 1], l.year, l.hour,
        l.minute, l.second, tzstr(tz))
    if p.client == "webmail":
        s += " (GMT)" if tz == 0 else ""
    return s


def human_day(d):
    return "%s %d %s" % (EN_DAY[d.weekday()], d.day, EN_MONTH[d.month - 1])


def parse_local(s, p):
    """'2023-01-05 09:10' in p's local time -> aware UTC datetime."""
    d = dt.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=tzinfo(p.tz))
    return d.astimezone(UTC)


# ---------------------------------------------------------------------------
# The model.

class Msg:
    def __init__(self):
        self.lists = []
        self.mid = None
        self.parent = None
        self.thread = None
        self.author = None
        self.date = None
        self.raw_subject = ""
        self.blocks = []
        self.quotes = []
        self.link = True
        self.refs = []
        self.irt = None
        self.attachments = []
        self.flags = {}
        self.ghost = False
        self.new_paras = []
        self.body = ""
        self.seq = 0


class Thread:
    def __init__(self, no, lists, kind, subject):
        self.no, self.lists, self.kind, self.subject = no, lists, kind, subject
        self.msgs = []
        self.used = {}
        self.root = None


def wrap_text(text, width):
    if not width:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
        else:
            out.extend(textwrap.wrap(line, width, break_long_words=False,
                                     break_on_hyphens=False))
    return "\n".join(out)


def quote_lines(text, style):
    """Quote text with '> ' (Thunderbird nests as '>> '), 'gmail' ('> > '),
    or 'nospace' ('>')."""
    out = []
    for line in text.split("\n"):
        if style == "nospace":
            out.append(">" + line)
        elif line == "":
            out.append(">")
        elif style == "tb" and line.startswith(">"):
            out.append(">" + line)
        else:
            out.append("> " + line)
    return "\n".join(out)


def quote_depth(line):
    d = 0
    for c in line:
        if c == ">":
            d += 1
        elif c == " ":
            continue
        else:
            break
    return d


def trim_for_quote(text, maxlines=28):
    """What a replier's client quotes: the parent body, without its deeper
    quotes (depth >= 2) and without an Outlook original-message tail."""
    lines = []
    for line in text.rstrip("\n").split("\n"):
        if line.startswith("-----Original Message-----") or \
           line.startswith("-----Mensagem original-----") or \
           line == "________________________________":
            break
        if quote_depth(line) >= 2:
            continue
        lines.append(line)
    out = []
    for line in lines:          # collapse runs of (quoted) blank lines
        blank = line.replace(">", "").strip() == ""
        if blank and out and out[-1].replace(">", "").strip() == "":
            continue
        out.append(line)
    out = out[:maxlines]
    while out and out[-1].replace(">", "").strip() in ("", "--"):
        out.pop()
    return "\n".join(out)


class World:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.threads = []
        self.msgs = []
        self.mids = set()
        self.seq = 0

    # -- identifiers -------------------------------------------------------
    def hexs(self, n, alphabet="0123456789abcdef"):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def new_mid(self, p, d):
        r = self.rng
        c = p.client
        if c.startswith("gmail"):
            a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            mid = "CA%s%s%s@mail.example.com" % (
                self.hexs(1, "BCDEFGHJKLMNP"), self.hexs(30, a),
                r.choice(["+", "=", "_", "-"]) + self.hexs(12, a))
        elif c.startswith("outlook"):
            box = "%s%dPR%02dMB%d" % (r.choice(["AM", "DB", "PA", "VI", "GV"]),
                                      r.randint(0, 9), r.randint(1, 9),
                                      r.randint(1000, 9999))
            mid = "%s%s@%s.eurprd%02d.prod.outlook.example.com" % (
                box, self.hexs(24, "0123456789ABCDEF"), box, r.randint(1, 9))
        elif c in ("apple", "iphone"):
            u = self.hexs(32, "0123456789ABCDEF")
            mid = "%s-%s-%s-%s-%s@%s" % (u[:8], u[8:12], u[12:16], u[16:20],
                                         u[20:], p.addr.split("@")[1])
        elif c == "gnus":
            mid = "%s.fsf@%s" % (self.hexs(5, "0123456789") + "." +
                                 self.hexs(6), p.addr.split("@")[1])
        elif c == "webmail":
            mid = "%s@webmail.%s" % (self.hexs(32), p.addr.split("@")[1])
        else:  # thunderbird and others
            u = self.hexs(32)
            mid = "%s-%s-%s-%s-%s@%s" % (u[:8], u[8:12], u[12:16], u[16:20],
                                         u[20:], p.addr.split("@")[1])
        assert mid not in self.mids
        self.mids.add(mid)
        return mid

    # -- threads and posts -------------------------------------------------
    def thread(self, lists, kind, subject):
        if isinstance(lists, str):
            lists = [lists]
        th = Thread(len(self.threads) + 1, lists, kind, subject)
        self.threads.append(th)
        return th

    def ctx(self, th, p, parent, d):
        r = self.rng
        return dict(first=(parent.author.first if parent else "all"),
                    deadline=human_day(d + dt.timedelta(days=r.randint(7, 16))),
                    date=human_day(d + dt.timedelta(days=r.randint(3, 20))),
                    n=r.randint(3, 14),
                    theme=r.choice(THEMES[max(2023, d.year)]),
                    city=CITY[max(2023, d.year)], year=d.year, name=p.name, org=p.org)

    def compose(self, th, p, parent, d, kind=None):
        """Auto-written new text: a list of paragraphs."""
        r = self.rng
        kind = kind or th.kind
        if not POOLS[kind]:
            kind = "social"
        pool = POOLS[kind]
        used = th.used.setdefault(kind, [])
        avail = [i for i in range(len(pool)) if i not in used]
        if len(avail) < 3:
            used[:] = []
            avail = list(range(len(pool)))
        k = r.choice([1, 1, 1, 2, 2, 2, 3]) if kind != "logistics" else 1
        picks = r.sample(avail, min(k, len(avail)))
        used.extend(picks)
        c = self.ctx(th, p, parent, d)
        sents = [pool[i].format(**c) for i in picks]
        if parent is not None and r.random() < 0.2:
            sents.insert(0, r.choice(GENERIC_OPEN).format(**c))
        if r.random() < 0.15:
            sents.append(r.choice(GENERIC_CLOSE))
        if len(sents) >= 3 and r.random() < 0.6:
            cut = r.randint(1, len(sents) - 1)
            return [" ".join(sents[:cut]), " ".join(sents[cut:])]
        return [" ".join(sents)]

    def post(self, th, who, when=None, text=None, parent=None, mode=None,
             lists=None, subject=None, greet=None, signoff=True, **flags):
        r = self.rng
        p = PEOPLE[who]
        m = Msg()
        m.thread, m.author, m.parent = th, p, parent
        m.lists = list(lists or th.lists)
        if "alt" not in flags and not flags.get("html_only") and \
           not flags.get("flowed") and not flags.get("latin1") and \
           not flags.get("ghost") and \
           p.client in ("gmail", "gmail-new", "apple", "iphone",
                        "outlook-new"):
            # most of these clients send multipart/alternative
            flags["alt"] = r.random() < (0.25 if BPF in m.lists else 0.5)
        m.flags = flags
        self.seq += 1
        m.seq = self.seq
        if when is None:
            base = parent.date if parent else th.msgs[-1].date
            if th.msgs and th.msgs[-1].date > base and \
               flags.get("after_last", True):
                base = th.msgs[-1].date
            when = self.delay(base, p, th.kind)
        elif isinstance(when, str):
            when = parse_local(when, p)
        if when.second == 0:
            when = when.replace(second=r.randint(0, 59))
        m.date = when
        if parent is None and th.root is None:
            th.root = m
        if parent is not None:
            assert when > parent.date, (th.subject, when, parent.date)
        # new text
        if text is None:
            paras = self.compose(th, p, parent, when)
        elif isinstance(text, str):
            paras = [x for x in text.strip("\n").split("\n\n")]
        else:
            paras = list(text)
        c = self.ctx(th, p, parent, when)
        if greet is None:
            greet = parent is None or r.random() < 0.55
        if greet is True:
            if not re.match(r"(Dear|Hi|Hello|Thanks|Thank you|Colleagues)",
                            paras[0]):
                g = r.choice(GREETINGS if parent else GREETINGS[:3])
                paras.insert(0, g.format(**c))
        elif isinstance(greet, str):
            paras.insert(0, greet.format(**c))
        if signoff:
            so = signoff if isinstance(signoff, str) else r.choice(p.signoffs)
            paras.append(so.format(first=p.first, name=p.name))
        m.has_signoff = bool(signoff)
        paras = [wrap_text(x.format(**c), 0 if flags.get("flowed") else p.wrap)
                 for x in paras]
        m.new_paras = paras
        # subject
        if subject is not None:
            m.raw_subject = subject
        elif parent is None:
            m.raw_subject = th.subject
        else:
            pfx = {"outlook": "RE: ", "outlook-new": "RE: ",
                   "outlook-pt": "RE: "}.get(p.client, "Re: ")
            if p.lang == "de" and p.client.startswith("outlook"):
                pfx = "AW: "
            m.raw_subject = pfx + parent.subject_for(m.lists[0])
        # ids and reply headers
        m.mid = None if flags.get("no_mid") else \
            (flags.get("mid") or self.new_mid(p, when))
        if flags.get("mid"):
            self.mids.add(flags["mid"])
        if parent is not None and not flags.get("nolink"):
            m.irt = parent.mid
            m.refs = (parent.refs + [parent.mid])[-10:] if parent.mid else []
        m.link = parent is not None and not flags.get("nolink")
        m.attachments = flags.get("attach", [])
        # body
        if mode is None:
            mode = self.pick_mode(p, parent)
        m.mode = mode
        self.render_body(m, mode)
        if not flags.get("ghost"):
            th.msgs.append(m)
            self.msgs.append(m)
        else:
            m.ghost = True
        return m

    def pick_mode(self, p, parent):
        r = self.rng
        if parent is None:
            return "none"
        if p.posting:
            return r.choice(p.posting)
        c = p.client
        if c.startswith("outlook"):
            return r.choice(["top", "top", "top", "none"])
        if c.startswith("gmail"):
            return r.choice(["top", "top", "top", "bottom", "none", "inter"])
        if c in ("apple", "iphone"):
            return r.choice(["top", "top", "none"])
        if c in ("thunderbird", "gnus"):
            return r.choice(["bottom", "inter", "inter", "snip", "none"])
        if c == "webmail":
            return r.choice(["top", "bottom"])
        return "top"

    def delay(self, base, p, kind):
        r = self.rng
        lo, hi = {"logistics": (0.5, 60), "themes": (1, 30), "social": (1, 50),
                  "intro": (2, 120), "rapporteur": (2, 72)}.get(kind, (2, 80))
        hours = lo + (hi - lo) * (r.random() ** 1.7)
        d = base + dt.timedelta(hours=hours, seconds=r.randint(0, 3599))
        l = local(d, p.tz)
        if l.hour < 7:
            d += dt.timedelta(hours=7 - l.hour + r.random() * 2)
        elif l.hour >= 23:
            d += dt.timedelta(hours=8 + r.random() * 2)
        return d.replace(microsecond=0)

    # -- body rendering -----------------------------------------------------
    def attribution(self, m, parent):
        p, q = m.author, parent
        l = local(q.date, p.tz)
        addr = q.from_addr(m.lists[0])
        nm = q.from_name(m.lists[0])
        who = "%s <%s>" % (nm, addr) if nm else "<%s>" % addr
        hh, mi = l.hour, l.minute
        h12 = hh % 12 or 12
        ampm = "AM" if hh < 12 else "PM"
        c, lang = p.client, p.lang
        if c.startswith("gmail"):
            if lang == "fr":
                s = "Le %s %d %s %d à %02d:%02d, %s a écrit :" % (
                    FR_DOW[l.weekday()], l.day, FR_MON[l.month - 1], l.year,
                    hh, mi, who)
            elif lang == "es":
                s = "El %s, %d %s %d a las %02d:%02d, %s escribió:" % (
                    ES_DOW[l.weekday()], l.day, ES_MON[l.month - 1], l.year,
                    hh, mi, "%s (<%s>)" % (nm, addr) if nm else who)
            elif lang == "pt":
                s = "Em %s, %d de %s de %d às %02d:%02d, %s escreveu:" % (
                    PT_DOW[l.weekday()], l.day, PT_MON[l.month - 1], l.year,
                    hh, mi, who)
            else:
                comma = "," if c == "gmail" else ""
                s = "On %s, %s %d, %d at %d:%02d %s%s %s wrote:" % (
                    EN_DOW[l.weekday()], EN_MON[l.month - 1], l.day, l.year,
                    h12, mi, ampm, comma, who)
            if len(s) > 78:        # Gmail wraps long attribution lines
                i = s.rfind("<")
                s = s[:i + 1] + "\n" + s[i + 1:]
            return s
        if c in ("apple", "iphone"):
            return "On %d %s %d, at %02d:%02d, %s wrote:" % (
                l.day, EN_MON[l.month - 1], l.year, hh, mi, who)
        if c == "thunderbird":
            if lang == "de":
                return "Am %02d.%02d.%d um %02d:%02d schrieb %s:" % (
                    l.day, l.month, l.year, hh, mi, nm or addr)
            return "On %02d/%02d/%d %02d:%02d, %s wrote:" % (
                l.day, l.month, l.year, hh, mi, nm or addr)
        if c == "gnus":
            return "%s writes:" % who
        if c == "webmail":
            return "On %d-%02d-%02d %02d:%02d, %s wrote:" % (
                l.year, l.month, l.day, hh, mi, nm or addr)
        raise ValueError(c)

    def outlook_header(self, m, parent):
        p, q = m.author, parent
        lst = m.lists[0]
        l = local(q.date, p.tz)
        h12 = l.hour % 12 or 12
        ampm = "AM" if l.hour < 12 else "PM"
        subj = q.subject_for(lst)
        to = "%s@%s" % (lst, HOST)
        qname = q.from_name(lst) or q.from_addr(lst)
        if p.client == "outlook":
            return ("-----Original Message-----\n"
                    "From: %s <%s-bounces@%s> On Behalf Of %s\n"
                    "Sent: %s, %s %d, %d %d:%02d %s\n"
                    "To: %s\nSubject: %s" % (
                        LISTS[lst]["real"], lst, HOST, qname,
                        EN_DAY[l.weekday()], EN_MONTH[l.month - 1], l.day,
                        l.year, h12, l.minute, ampm, to, subj))
        if p.client == "outlook-new":
            return ("________________________________\n"
                    "From: %s <%s>\nSent: %d %s %d %02d:%02d\n"
                    "To: %s <%s>\nSubject: %s" % (
                        qname, q.from_addr(lst), l.day,
                        EN_MONTH[l.month - 1], l.year, l.hour, l.minute, to,
                        to, subj))
        if p.client == "outlook-pt":
            return ("-----Mensagem original-----\n"
                    "De: %s <%s>\nEnviada em: %s, %d de %s de %d %02d:%02d\n"
                    "Para: %s\nAssunto: %s" % (
                        qname, q.from_addr(lst), PT_DAY[l.weekday()],
                        l.day, PT_MONTH[l.month - 1], l.year, l.hour,
                        l.minute, to, subj))
        raise ValueError(p.client)

    def render_body(self, m, mode):
        """Lay out the body as blocks: (kind, text, sep-before)."""
        r = self.rng
        p, q = m.author, m.parent
        B = []
        new = [("new", x) for x in m.new_paras]
        sig = []
        if p.sig and not m.flags.get("nosig") and (
                p.client.startswith("outlook") or r.random() < 0.7):
            if p.client.startswith("outlook"):
                sig = [("sig", p.sig)]          # no "-- " delimiter
            else:
                sig = [("sig", "-- \n" + p.sig)]
        phone = []
        if p.phone and (p.client == "iphone" or r.random() < 0.35) and \
           not m.flags.get("nophone"):
            phone = [("phone", p.phone)]
        lst = m.lists[0]
        if q is None or mode == "none":
            B = new + sig + phone
        else:
            m.quotes = [q.mid] if not m.flags.get("noquote_truth") else []
            full = q.body
            if p.client.startswith("gmail") and r.random() < 0.5:
                full = q.body + footer(lst)      # the delivered copy
            qtext = trim_for_quote(full, maxlines=45 if mode == "top" else 14)
            qstyle = {"gmail": "gmail", "gmail-new": "gmail",
                      "webmail": "nospace"}.get(p.client, "tb")
            if mode == "top" and p.client.startswith("outlook"):
                B = new + sig + [("attr", self.outlook_header(m, q)),
                                 ("orig", qtext)]
            elif mode == "top" and p.client == "iphone":
                attr = self.attribution(m, q)
                B = new + sig + phone + [
                    ("quote", quote_lines(attr + "\n\n" + qtext, "tb"))]
                phone = []
            elif mode == "top":
                B = new + sig + phone + [
                    ("attr", self.attribution(m, q)),
                    ("quote", quote_lines(qtext, qstyle))]
            elif mode in ("bottom", "snip"):
                attr = ("attr", self.attribution(m, q))
                tight = "\n" if p.client in ("thunderbird", "gnus",
                                             "webmail") else "\n\n"
                if mode == "snip":
                    ql = qtext.split("\n")
                    keep = ql[:4]
                    B = [attr, ("quote", quote_lines("\n".join(keep), qstyle),
                                tight),
                         ("snip", r.choice(["[snip]", "[...]", "> [snip]"]))]
                else:
                    B = [attr, ("quote", quote_lines(qtext, qstyle), tight)]
                B += new + sig + phone
            elif mode == "inter":
                tight = "\n" if p.client in ("thunderbird", "gnus",
                                             "webmail") else "\n\n"
                qp = [x for x in q.new_paras_rendered[1:-1] if len(x) > 30] or \
                    q.new_paras_rendered[:1]
                body = [x for x in new if not re.match(
                    r"(Dear|Hi|Hello)", x[1])]
                so = body[-1:] if m.has_signoff else []
                body = body[:-1] if m.has_signoff else body
                B = [("attr", self.attribution(m, q))]
                for i, para in enumerate(qp[:3]):
                    B.append(("quote", quote_lines(para, qstyle),
                              tight if i == 0 else "\n\n"))
                    if body:
                        B.append(body.pop(0))
                    else:
                        B.append(("new", wrap_text(self.compose(
                            m.thread, p, q, m.date)[0], p.wrap)))
                for x in body:
                    B.append(x)
                B += so + sig + phone
            else:
                raise ValueError(mode)
        # fix separators: quote after attribution is tight for TB/webmail
        out = []
        for i, b in enumerate(B):
            kind, text = b[0], b[1]
            if len(b) > 2:
                sep = b[2]
            elif kind == "quote" and i and B[i - 1][0] == "attr" and \
                    p.client in ("thunderbird", "gnus", "webmail"):
                sep = "\n"
            elif kind == "orig":
                sep = "\n\n"
            else:
                sep = "\n\n"
            if i == 0:
                sep = ""
            out.append((kind, text, sep))
        if m.flags.get("extra_blocks"):
            out = m.flags["extra_blocks"](out)
        m.blocks = out
        m.body = "".join(sep + text for kind, text, sep in out) + "\n"
        m.new_paras_rendered = [t for k, t, s in out if k == "new"]

    # convenient auto-threads ----------------------------------------------
    def replies(self, th, n, shape="tree", people=None, start=None,
                year=None, spread=None, **kw):
        r = self.rng
        root = th.msgs[0]
        year = year or root.date.year
        people = people or ROSTER[year]
        out = []
        if shape == "fan":
            spread = spread or 6
            offs = sorted(r.uniform(0.5, 24 * spread) for _ in range(n))
            pool = [x for x in people if x != root.author.key]
            who = r.sample(pool, min(n, len(pool)))
            while len(who) < n:
                who.append(r.choice(pool))
            for i in range(n):
                base = root.date + dt.timedelta(hours=offs[i])
                d = self.delay(base, PEOPLE[who[i]], "logistics")
                d = max(d, (out[-1].date if out else root.date) +
                        dt.timedelta(minutes=r.randint(3, 90)))
                out.append(self.post(th, who[i], when=d, parent=root, **kw))
            return out
        last = th.msgs[-1]
        for i in range(n):
            if shape == "chain":
                parent = th.msgs[-1]
            else:
                x = r.random()
                if x < 0.55 or len(th.msgs) < 2:
                    parent = th.msgs[-1]
                elif x < 0.8:
                    parent = root
                else:
                    parent = r.choice(th.msgs)
            cands = [k for k in people if k != parent.author.key and
                     k != th.msgs[-1].author.key]
            who = r.choice(cands)
            out.append(self.post(th, who, parent=parent, **kw))
        return out


# subject / address views per list ------------------------------------------

def mailman_subject(raw, lst):
    """Mailman 2.1 CookHeaders.prefix_subject with old-style prefixing."""
    prefix = LISTS[lst]["prefix"]
    s = raw.replace(prefix, "")
    s = re.sub(r"^\s+", "", s)
    m = re.match(r"((RE|AW|SV|VS)(\[\d+\])?:\s*)+", s, re.I)
    recolon = ""
    if m:
        s = s[m.end():]
        recolon = "Re:"
    s = re.sub(r"\s{2,}", " ", s).strip()
    return " ".join(x for x in (recolon, prefix, s) if x)


def _subject_for(self, lst):
    return mailman_subject(self.raw_subject, lst)


def _from_name(self, lst):
    if self.flags.get("dmarc"):
        return "%s via %s" % (self.author.name, LISTS[lst]["real"])
    if self.author.key in NONAME:
        return None
    return self.author.name


def _from_addr(self, lst):
    if self.flags.get("dmarc"):
        return "%s@%s" % (lst, HOST)
    return self.author.addr


NONAME = ("kwame",)        # sends without a display name
Msg.subject_for = _subject_for
Msg.from_name = _from_name
Msg.from_addr = _from_addr


# ---------------------------------------------------------------------------
# The story.  Root messages are written out; most replies are composed from
# the pools above.  Special cases are marked with flags and listed in the
# README (see NOTES).

INTROS = [
    "I am {name}, from {org}. I join the SG from the {group} community in "
    "{region}, and my own work is mostly on {topic}. Looking forward to "
    "working with all of you.",
    "Thank you for the warm welcome. A few words about me: I work at {org} "
    "on {topic}. This is my first term on the SG, so please bear with my "
    "questions in the first months.",
    "{first} here, from {org} ({region}). I served on the programme "
    "committee of our regional initiative for three years and am glad to "
    "bring that experience here. My main interest is {topic}.",
    "Greetings from {region}! I am {name}. At {org} I lead our work on "
    "{topic}. I hope we can make the Forum more useful for people who are "
    "not yet in the room.",
    "Happy to be here. I am {name} ({org}); my background is in {topic} and "
    "I am one of the {group} members of the SG.",
    "It is a pleasure to join. I am {name}, {topic} is my field, and I work "
    "with {org}. I will be particularly keen to help with outreach in "
    "{region}.",
]


def intro(p, i):
    return INTROS[i % len(INTROS)].format(
        name=p.name, org=p.org, group=p.group, region=p.region,
        topic=p.topic, first=p.first)


NOTES = []      # (message, note) for the README and truth.jsonl


def note(m, text):
    NOTES.append((m, text))
    m.flags.setdefault("notes", []).append(text)
    return m


def pdf_bytes(title, lines):
    """A small, valid one-page PDF with a compressed content stream."""
    text = "BT /F1 12 Tf 72 740 Td 16 TL (%s) Tj" % title
    for l in lines:
        text += " T* (%s) Tj" % l.replace("(", "[").replace(")", "]")
    text += " ET"
    stream = zlib.compress(text.encode("latin-1"), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream + b"\nendstream",
        b"<< /Title (%s) /Producer (larch mksample) >>" % title.encode(),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n"
            b"%d\n%%%%EOF\n" % (len(objs) + 1, x))
    return bytes(out)


PATCH = """\
--- a/survey/questions.md
+++ b/survey/questions.md
@@ -12,9 +12,13 @@
 ## Section B: Incident response
 
-B1. Does your organisation have an incident response plan?
+B1. Does your organisation have a documented incident response plan?
+    (yes / no / in preparation / don't know)
 
 B2. In the last twelve months, did you report an incident to a national CERT?
 
+B3. Does your organisation publish a vulnerability disclosure policy?
+    If yes, please give a link.
+
 ## Section C: Capacity building
 
-C1. Which trainings did your staff attend?
+C1. Which trainings did your staff attend in the last two years?
"""

CASE_NOTES = """\
Case study: coordinated response to a ransomware outbreak in a regional
hospital network (anonymised)

Timeline
  Day 0   encryption of file servers detected by night staff
  Day 0   national CERT notified within 3 hours
  Day 1   two neighbouring networks warned via the sector ISAC
  Day 4   clinical systems restored from offline backups
  Day 30  lessons-learned workshop with all three networks

What worked: pre-agreed contact lists; offline backups; a single
spokesperson.
What did not: no template for informing patients; unclear legal basis for
sharing indicators with the private security vendor.
"""


def plan(w):
    r = w.rng
    P = PEOPLE

    # ---- 2023 ------------------------------------------------------------
    # A thread whose root predates the archive (December 2022).
    th = w.thread(PF, "social", "Season's greetings and planning for 2023")
    ghost = w.post(th, "amara", "2022-12-19 10:05", greet=True, ghost=True,
                   text="As the year comes to an end, a short note of thanks "
                   "for all your work on the SG in 2022.\n\nFor planning "
                   "purposes: the first SG meeting of 2023 will most likely "
                   "take place in the second half of February, back to back "
                   "with the open consultations. The secretariat will confirm "
                   "dates in early January. If you know already that certain "
                   "weeks are impossible for you, please tell us.")
    a = w.post(th, "aroha", "2023-01-04 08:40", parent=ghost, mode="top",
               text="Thanks Amara and happy new year to all. The week of 20 "
                    "February works for me; the week after does not, as we "
                    "have our regional forum then.")
    note(a, "reply to a message that is not in the archive (ghost parent)")
    b = w.post(th, "hiroshi", "2023-01-05 17:12", parent=ghost,
               mode="bottom")
    w.post(th, "priya", "2023-01-06 09:30", parent=b)
    w.post(th, "lukas", "2023-01-09 10:02", parent=ghost, mode="top",
           text="Dear all,\n\nThank you for the replies. We are now looking at "
                "21-23 February and will send a formal save-the-date this "
                "week, together with the first information on travel "
                "support.")

    # Welcome thread: fan-out of introductions.
    th = w.thread(PF, "intro", "Welcome to the 2023 Steering Group")
    root = w.post(th, "mariana", "2023-01-10 11:20",
                  text="Dear SG members,\n\nOn behalf of the secretariat, a "
                  "warm welcome to the 2023 Steering Group, and in particular "
                  "to the eight members who join us for the first time.\n\n"
                  "To help everyone get to know each other before we meet, "
                  "we invite you to introduce yourself briefly on this list: "
                  "who you are, where you work and what you hope to "
                  "contribute. The onboarding call for new members will take "
                  "place on Tuesday 17 January at 13:00 UTC; the link will "
                  "follow separately.")
    for i, k in enumerate(["tomasz", "aroha", "camila", "rahul", "leilani",
                           "siosaia", "kwame"]):
        d = root.date + dt.timedelta(hours=3 + 14 * i + r.randint(0, 9),
                                     minutes=r.randint(0, 59))
        w.post(th, k, d, parent=root, mode="none", text=intro(P[k], i),
               greet=r.choice(["Dear all,", "Hello all,", "Hi everyone,",
                               "Dear Mariana, dear all,"]))

    # Draft agenda.
    th = w.thread(PF, "agenda",
                  "Draft agenda: first SG meeting and open consultations, "
                  "21-23 February")
    w.post(th, "amara", "2023-01-17 09:05",
           text="Dear colleagues,\n\nPlease find below the draft agenda for "
           "our first meeting of the year. Comments are welcome until "
           "{deadline}.\n\n"
           "Day 1 (open consultations)\n"
           "  1. Opening and welcome by the convening office\n"
           "  2. Taking stock of the 2022 annual meeting\n"
           "  3. Inputs received in the call for suggestions\n"
           "  4. Open floor\n\n"
           "Day 2 (SG meeting)\n"
           "  5. Themes and structure of the 2023 programme\n"
           "  6. Intersessional work: BPFs and policy networks\n"
           "  7. Working group on strengthening the Forum\n\n"
           "Day 3 (SG meeting, morning)\n"
           "  8. Timeline for the call for session proposals\n"
           "  9. Update from the host country\n"
           " 10. AOB")
    w.replies(th, 6, "tree")

    # Call for inputs: taking stock.
    th = w.thread(PF, "cfi",
                  "Call for inputs: taking stock of 2022 and suggestions "
                  "for 2023")
    w.post(th, "lukas", "2023-01-24 14:40",
           text="Dear SG members,\n\nThe call for inputs on taking stock of "
           "the 2022 annual meeting and suggestions for the 2023 cycle is "
           "now open on the Forum website. It will close on {deadline}.\n\n"
           "We would be grateful if you could share the call with your "
           "networks. Inputs can be submitted through the online form or by "
           "email to the secretariat, and will be published in full.")
    w.replies(th, 3, "tree")

    # Cross-posted to both lists.
    th = w.thread([PF, BPF], "cfi",
                  "Call for inputs: 2023 intersessional work programme")
    xroot = w.post(th, "mariana", "2023-02-06 10:15",
                   text="Dear colleagues,\n\n(Apologies for cross-posting.)\n\n"
                   "The secretariat invites inputs on the 2023 intersessional "
                   "work programme: the topics of the Best Practice Forums, "
                   "the policy networks and how they should connect with the "
                   "annual meeting. Short written inputs (up to two pages) "
                   "are welcome until {deadline}.\n\nThis message is sent to "
                   "both the SG list and the BPF Cybersecurity list, as the "
                   "questions concern both.")
    note(xroot, "cross-posted: one message, a copy in each archive")
    x1 = w.post(th, "thandiwe", "2023-02-07 16:48", parent=xroot, mode="top",
                text="Thank you, Mariana. Speaking as one of the BPF "
                "co-facilitators: we would like the BPF to keep a clear link "
                "to the capacity building discussions of the annual meeting. "
                "We will send a short joint input from the BPF by the "
                "deadline.")
    note(x1, "cross-posted reply: copies in both archives with different "
         "subjects")
    w.post(th, "jose", "2023-02-08 11:05", parent=xroot, lists=[PF])
    w.post(th, "dmitri", "2023-02-08 13:30", parent=x1, lists=[BPF],
           mode="bottom")

    # Travel support: fan-out of questions.
    th = w.thread(PF, "travel", "Travel support for the February meeting")
    w.post(th, "lukas", "2023-02-02 15:20",
           text="Dear SG members,\n\nTravel support is available for SG "
           "members from developing countries and least developed "
           "countries who would otherwise be unable to attend the February "
           "meeting in person. Please fill in the application form by "
           "{deadline}. Support covers an economy class ticket and a daily "
           "subsistence allowance.\n\nDo not book any travel before you have "
           "received a confirmation from the secretariat.")
    w.replies(th, 5, "fan", spread=5)

    # Working group volunteers.
    th = w.thread(PF, "governance",
                  "Working group on strengthening the Forum: volunteers?")
    w.post(th, "zoe", "2023-02-08 18:30",
           text="Hi all,\n\nAt the end of last year several of us suggested "
           "an SG working group to collect ideas on strengthening the Forum "
           "ahead of the mandate review. I am happy to help coordinate it. "
           "Who else would like to join? A first call could take place in "
           "the week after the February meeting.")
    w.replies(th, 5, "tree")

    # Documents, with a PDF (scrubbed by pipermail).
    th = w.thread(PF, "agenda", "Documents for the SG meeting")
    m = w.post(th, "mariana", "2023-02-20 09:45",
               text="Dear SG members,\n\nPlease find attached the background "
               "paper for the meeting, with the synthesis of the 61 inputs "
               "received in the stocktaking call. The annotated agenda and "
               "the list of participants are available on the meeting page."
               "\n\nSafe travels to all who are coming to the meeting.",
               attach=[dict(name="IPCF-SG-background-Feb2023.pdf",
                            type="application/pdf", size=48213)])
    w.replies(th, 2, "chain")

    # Meeting summary with decisions.
    th = w.thread(PF, "decision",
                  "Summary of SG meeting, 21-23 February")
    w.post(th, "amara", "2023-03-01 08:50",
           text="Dear all,\n\nThank you for three productive days. Below is "
           "a short summary of the main decisions; the full summary report "
           "will follow from the secretariat.\n\n"
           "- The SG agreed to keep four themes for 2023 but to review their "
           "wording; the working group will propose a text by mid-March.\n"
           "- The SG agreed that the call for session proposals will open "
           "in the second half of March and run for five weeks.\n"
           "- The SG agreed to continue the newcomers track and to explore "
           "a mentoring scheme.\n"
           "- The BPF topics for 2023 remain cybersecurity, gender and "
           "access, and local content.\n\n"
           "Please let me know by Friday if anything is missing or "
           "inaccurate.")
    w.post(th, "anneliese", parent=th.msgs[0], mode="inter")
    w.replies(th, 3, "tree")

    # Long debate on themes (chain).
    th = w.thread(PF, "themes", "Themes for 2023: proposal from the working "
                  "group")
    w.post(th, "zoe", "2023-03-06 19:10",
           text="Dear all,\n\nAs agreed in February, the working group has "
           "looked again at the themes. We propose two options for "
           "discussion.\n\nOption A keeps four themes: digital inclusion; "
           "data governance; trust and security; sustainability and the "
           "environment.\n\nOption B has a single overarching theme, "
           "\"An Internet that works for everyone\", with the four areas "
           "above as tracks.\n\nThe working group has a slight preference "
           "for option A, mainly for continuity with the regional "
           "initiatives. We would like to settle this within two weeks.")
    debaters = ["hiroshi", "marguerite", "jose", "anneliese", "priya",
                "ayse", "kwame", "zoe", "camila"]
    w.replies(th, 18, "chain", people=debaters)

    # Call for session proposals: PDF, and the scrubber note is followed
    # directly by the next separator (no blank line) in 2023-March.
    th = w.thread(PF, "proposals", "Call for session proposals is open")
    m = w.post(th, "lukas", "2023-03-14 12:00",
               text="Dear SG members,\n\nThe call for session proposals for "
               "the 2023 annual meeting is open until {deadline}. The "
               "guidelines for organisers are attached; they are also "
               "available in French and Spanish on the website.\n\nAs in "
               "previous years, we count on you to share the call widely, in "
               "particular with first-time organisers.",
               attach=[dict(name="IPCF2023-session-guidelines.pdf",
                            type="application/pdf", size=48213, hash="abc123")],
               tight_scrub=True)
    note(m, "pipermail copy: the next \"From \" separator follows the "
         "scrubber note directly, without a blank line")
    w.replies(th, 3, "tree")

    # Intersessional updates.
    th = w.thread(PF, "intersessional",
                  "Intersessional work: BPF and policy network updates")
    w.post(th, "thandiwe", "2023-03-28 10:30",
           text="Dear colleagues,\n\nA quick round-up of the intersessional "
           "work so far. The BPF on cybersecurity held its kick-off call on "
           "1 March and has agreed its workplan. The BPF on gender and "
           "access is recruiting a consultant. The policy network on "
           "meaningful access will launch a survey in April.\n\nEach "
           "activity will brief the SG at the May virtual meeting.")
    w.replies(th, 4, "tree")

    # Evaluation process: fan-out.
    th = w.thread(PF, "proposals",
                  "Session proposal evaluation: process and timeline")
    w.post(th, "mariana", "2023-04-04 10:10",
           text="Dear SG members,\n\nWe received 312 session proposals. Each "
           "SG member will be assigned a batch of about 25 proposals, "
           "balanced by type and region. The evaluation form and your "
           "individual batch will reach you by email tomorrow.\n\nTimeline:\n"
           "  - 5 April: batches sent\n"
           "  - 24 April: deadline for evaluations\n"
           "  - 2 May: consolidated results shared with the SG\n\n"
           "Please declare any conflict of interest so that proposals can "
           "be reassigned.")
    w.replies(th, 10, "fan", spread=12)

    # Spreadsheet access problems: the "From " body line, and its quote
    # with ">" and no space, which reads ">From ".
    th = w.thread(PF, "proposals", "Evaluation spreadsheet: access problems")
    root = w.post(th, "kwame", "2023-04-18 08:05", greet="Hello,",
                  text="I cannot open the evaluation spreadsheet since this "
                  "morning. It says my session has expired and then asks for "
                  "an account I do not have. Is anyone else having the same "
                  "problem?")
    fromline = w.post(
        th, "lukas", "2023-04-18 10:47", parent=root, mode="top",
        text="Dear Kwame, dear all,\n\n"
        "From the secretariat's side we can see that the sharing settings "
        "were changed by an automatic policy update last night. We have "
        "restored access for all SG members; please try again and let us "
        "know if it still does not work.\n\n"
        "From secretariat@example.org you will also receive a copy of your "
        "batch as a file, so you can work offline if you prefer.")
    note(fromline, "body lines start with \"From \" (not escaped by pipermail)")
    k = w.post(th, "kwame", "2023-04-18 12:20", parent=fromline,
               mode="bottom", text="It works now. Thank you for the quick "
               "fix.", greet=False)
    note(k, "quotes with \">\" and no space: a quoted line reads \">From \"")
    w.replies(th, 2, "chain")
    hijack_target = th.msgs[-1]

    # Evaluation results: HTML alternative parts scrubbed.
    th = w.thread(PF, "proposals", "Evaluation results and merger proposals")
    w.post(th, "mariana", "2023-05-02 16:00",
           text="Dear SG members,\n\nThe consolidated evaluation results are "
           "now available in the shared folder. 142 proposals scored above "
           "the threshold. We also identified 19 groups of proposals that "
           "could be merged; the suggested mergers are listed in the second "
           "tab.\n\nWe propose to discuss borderline cases at the virtual "
           "meeting on 17 May.", alt=True)
    w.replies(th, 6, "tree")

    th = w.thread(PF, "agenda", "SG virtual meeting 17 May: agenda")
    w.post(th, "amara", "2023-05-10 07:55",
           text="Dear all,\n\nThe agenda for next week's virtual meeting "
           "(17 May, 13:00-16:00 UTC):\n\n"
           "1. Evaluation results and borderline proposals\n"
           "2. Merger proposals\n"
           "3. Briefings from the intersessional activities\n"
           "4. Preparations for the June open consultations\n"
           "5. AOB\n\nThe connection details are in the calendar invitation.")
    w.replies(th, 3, "tree")

    th = w.thread(PF, "travel", "Travel support applications: status")
    w.post(th, "lukas", "2023-05-22 13:30",
           text="Dear SG members,\n\nA short update: all applications for "
           "travel support for the June meeting have been processed, and "
           "the individual replies went out this morning. If you applied "
           "and did not receive anything, please check your spam folder "
           "before writing to us.")
    w.replies(th, 2, "tree")

    th = w.thread(PF, "logistics",
                  "Second open consultations and SG meeting: logistics and "
                  "attendance")
    w.post(th, "mariana", "2023-06-01 09:00",
           text="Dear SG members,\n\nTo plan the room set-up and catering for "
           "the June meeting (26-28 June), could you please confirm by "
           "reply to this message whether you will attend in person or "
           "online? Please also let us know if you need a visa support "
           "letter.")
    w.replies(th, 9, "fan", spread=8)

    # High-level track: one reply has no Message-ID.
    th = w.thread(PF, "hltrack", "High-level leaders track: concerns")
    w.post(th, "camila", "2023-06-12 15:15",
           text="Dear all,\n\nI would like to raise a concern about the "
           "proposed high-level leaders track. In its current form it "
           "consists of closed sessions with invited speakers only, which "
           "sits uneasily with the open, bottom-up character of the "
           "Forum.\n\nIf we keep it, could the sessions at least be "
           "streamed, with questions from remote participants, and could "
           "the SG see the list of invited speakers in advance?")
    w.replies(th, 3, "tree")
    nomid = w.post(th, "olusegun", parent=th.msgs[-1], mode="top",
                   no_mid=True)
    note(nomid, "no Message-ID header (sent through a misconfigured gateway)")
    w.replies(th, 2, "tree")

    th = w.thread(PF, "decision", "Summary of June SG meeting and decisions")
    w.post(th, "amara", "2023-06-30 08:20",
           text="Dear all,\n\nA summary of the decisions of the June "
           "meeting:\n\n"
           "1. The programme will have eight main sessions, two per theme.\n"
           "2. The high-level track will be open to all participants and "
           "streamed; the SG will be consulted on its speakers.\n"
           "3. The secretariat will publish the list of accepted workshops "
           "by 14 July.\n"
           "4. Rapporteurs for main sessions will be SG members.\n\n"
           "Thanks to everyone who joined, in person and online.")
    w.replies(th, 3, "tree")

    # Draft programme, plus a reply without In-Reply-To/References.
    th = w.thread(PF, "draft", "Draft programme v1 for comment")
    w.post(th, "lukas", "2023-07-05 11:30",
           text="Dear SG members,\n\nThe first version of the draft "
           "programme is available on the shared drive. Slots in red are "
           "still unconfirmed. We would welcome your comments, in "
           "particular on overlaps between sessions in the same time slot, "
           "by {deadline}.")
    w.replies(th, 5, "tree")
    nolink = w.post(th, "rafael", parent=th.msgs[2], mode="top", nolink=True)
    note(nolink, "reply without In-Reply-To and References; only the "
         "\"Re:\" subject and the quoted text link it")
    w.replies(th, 1, "tree")

    th = w.thread(PF, "rapporteur", "Main session organisers needed")
    w.post(th, "priya", "2023-07-18 06:40",
           text="Hi all,\n\nWe still need two SG members to co-organise each "
           "main session with the session facilitators. The workload is "
           "about two hours per week until the annual meeting. Please reply "
           "with your first and second choice of theme.")
    w.replies(th, 6, "fan", spread=5)

    th = w.thread(PF, "outreach", "Newcomers track and youth engagement")
    w.post(th, "siosaia", "2023-08-02 10:00",
           text="Dear colleagues,\n\nThe youth coalition has sent us some "
           "feedback on last year's newcomers track. In short: the "
           "orientation session was useful but too short, and newcomers "
           "would like a way to meet SG members informally. I would like "
           "to propose that we discuss this at our next call, and I am "
           "happy to draft a proposal.")
    w.replies(th, 4, "tree")

    th = w.thread(PF, "remote", "Remote hubs: registration and support")
    hubs = w.post(th, "jose", "2023-08-21 09:10",
                  text="Hola a todos,\n\nThe registration for remote hubs "
                  "should open soon. Last year, 74 hubs registered, almost a "
                  "third of them in Latin America. Could we think about "
                  "what support we can offer hubs this year beyond the "
                  "connection link? A small grant for connectivity would "
                  "make a big difference for community hubs.", greet=False)
    w.replies(th, 3, "tree")

    th = w.thread(PF, "travel", "Visa support letters for {city}".format(
        city=CITY[2023]))
    w.post(th, "mariana", "2023-09-04 08:30",
           text="Dear SG members,\n\nThe host country has asked us to "
           "collect visa requests for SG members by {deadline}. If you "
           "need a visa support letter for the annual meeting in "
           "{city}, please send us a scan of your passport and your "
           "travel dates. Processing times at some consulates are up to "
           "six weeks.")
    w.replies(th, 5, "tree")

    th = w.thread(PF, "draft", "Draft \"{city} Messages\": structure and "
                  "drafting team".format(city=CITY[2023]))
    w.post(th, "amara", "2023-09-14 09:15",
           text="Dear all,\n\nAs in previous years, the key messages of the "
           "annual meeting will be drafted by a small team of SG members "
           "based on the rapporteur reports. I propose the following "
           "structure: one page per theme, each with three to five key "
           "messages and a short paragraph on areas of disagreement.\n\n"
           "Could four volunteers join the drafting team? The first draft "
           "would be due two weeks after the meeting.")
    w.replies(th, 8, "chain")

    # Thread hijack: a reply to an old message with an unrelated subject.
    th = hijack_target.thread
    hj = w.post(th, "hiroshi", "2023-09-28 14:20", parent=hijack_target,
                mode="none", subject="Room booking for the pre-event "
                "workshop on measurement",
                text="Dear colleagues,\n\nSorry for the off-topic question. "
                "Does anyone know whether the secretariat can still book a "
                "small room for a pre-event workshop on the day before the "
                "annual meeting? We expect about thirty participants.")
    note(hj, "thread hijack: new subject, but In-Reply-To points into an "
         "old thread")
    w.post(th, "lukas", parent=hj, mode="top",
           text="Dear Hiroshi,\n\nYes, a few rooms are still available on "
           "day 0. Please send us the request form and we will confirm "
           "within a week.")

    th = w.thread(PF, "rapporteur", "Rapporteurs needed for main sessions")
    w.post(th, "lukas", "2023-10-03 10:00",
           text="Dear SG members,\n\nAs decided in June, rapporteurs for the "
           "eight main sessions will be SG members. Please volunteer by "
           "replying to this message. The template for reports is in the "
           "shared folder; reports are due 48 hours after each session.")
    w.replies(th, 7, "fan", spread=6)

    th = w.thread(PF, "decision", "Annual meeting in {city}: SG daily "
                  "coordination".format(city=CITY[2023]))
    w.post(th, "amara", "2023-10-09 07:30",
           text="Dear all,\n\nDuring the annual meeting we will hold a short "
           "SG coordination meeting every morning at 08:00 in room B, "
           "before the first sessions. Remote members can join through the "
           "usual link. The first one is tomorrow; we will review the "
           "opening day and the high-level track.")
    w.replies(th, 5, "tree")

    # Rapporteur reports.
    reps = [("rahul", "digital inclusion", "2023-11-06 10:20", 2,
             "The session brought together speakers from four regions and "
             "about 180 participants in the room and online.\n\n"
             "Key takeaways:\n"
             "1. Affordability remains the main barrier; several speakers "
             "called for universal service funds to be used more "
             "flexibly.\n"
             "2. Digital skills programmes work best when designed with the "
             "communities they serve.\n"
             "3. Data on who is offline is patchy, especially for persons "
             "with disabilities.\n\n"
             "Calls to action: governments and operators should publish "
             "coverage data at a finer level; the Forum should keep "
             "inclusion as a cross-cutting theme."),
            ("fatima", "data governance", "2023-11-07 16:05", 1,
             "The session discussed cross-border data flows and the "
             "balance between trust and openness.\n\n"
             "Key takeaways:\n"
             "- Participants disagreed on data localisation; some saw it as "
             "a tool for sovereignty, others as a barrier for small "
             "businesses.\n"
             "- There was broad support for interoperability between "
             "national frameworks.\n"
             "- Several speakers stressed the need to involve data "
             "protection authorities from the Global South."),
            ("tomasz", "trust and security", "2023-11-08 09:40", 1,
             "Key points from the session:\n\n"
             "* Attacks on hospitals and local governments were the most "
             "cited examples; speakers called for better information "
             "sharing between CERTs.\n"
             "* The private sector speakers asked for clearer rules on "
             "vulnerability disclosure.\n"
             "* Capacity building was mentioned by almost every speaker, "
             "often with the remark that funding is short-term.\n\n"
             "The full report is on the session page.")]
    for who, theme, when, n, txt in reps:
        th = w.thread(PF, "rapporteur", "Rapporteur report: Main session on "
                      + theme)
        w.post(th, who, when, text="Dear all,\n\nPlease find below my "
               "report on the main session on %s.\n\n%s" % (theme, txt))
        w.replies(th, n, "tree")

    # Survey results; one HTML-only reply loses its text in pipermail.
    th = w.thread(PF, "cfi", "Taking stock survey: results")
    w.post(th, "mariana", "2023-11-20 14:00",
           text="Dear SG members,\n\nThe post-meeting survey closed with 843 "
           "responses. Overall satisfaction was high (4.1 out of 5). The "
           "lowest scores were for the mobile app and for the availability "
           "of seats in the main hall. The full results are in the shared "
           "folder.")
    w.replies(th, 1, "tree")
    h = w.post(th, "zoe", parent=th.msgs[0], html_only=True, mode="top",
               text="Thanks Mariana. The comments on accessibility deserve "
               "a separate discussion; several participants using "
               "wheelchairs could not reach the rooms on the upper floor.",
               nophone=True)
    note(h, "HTML-only message: pipermail kept only the scrubber note, the "
         "text is lost in the archive")
    w.replies(th, 1, "tree")

    th = w.thread(PF, "social", "Thank you, and SG renewal for 2024")
    w.post(th, "amara", "2023-12-04 09:00",
           text="Dear all,\n\nAs the 2023 cycle comes to an end, thank you "
           "all for your commitment. A special thanks to the members whose "
           "term ends this year: Leilani, Olusegun and Rafael.\n\n"
           "The convening office will announce the 2024 SG composition in "
           "January. Priya has kindly agreed to chair the SG next year; I "
           "will stay on as a member.")
    w.replies(th, 6, "fan", spread=7)

    # ---- 2024 ------------------------------------------------------------
    th = w.thread(PF, "intro", "2024 SG: welcome and first tasks")
    root = w.post(th, "mariana", "2024-01-08 10:00",
                  text="Dear SG members,\n\nWelcome to the 2024 Steering "
                  "Group! Our new members are invited to introduce "
                  "themselves on this list. The first tasks of the year are "
                  "the call for inputs on the 2024 cycle and the "
                  "preparation of the February meeting.")
    for i, k in enumerate(["lan", "elif", "yuki", "priya", "mohammed"]):
        d = root.date + dt.timedelta(hours=5 + 20 * i + r.randint(0, 9),
                                     minutes=r.randint(0, 59))
        if k in ("priya", "mohammed"):
            w.post(th, k, d, parent=root)
        else:
            w.post(th, k, d, parent=root, mode="none",
                   text=intro(P[k], i + 1), greet="Dear all,")

    # Late reply, months later.
    late = w.post(hubs.thread, "aroha", "2024-01-15 21:10", parent=hubs,
                  mode="top",
                  text="Reviving this old thread: the question of support "
                  "for hubs is coming back for 2024. Did we ever agree on "
                  "the small grants? Several hubs in the Pacific would like "
                  "to plan early this time.")
    note(late, "late reply: five months after the message it answers")
    w.post(hubs.thread, "jose", parent=late, mode="top")

    th = w.thread(PF, "governance",
                  "Call for inputs: 2024 cycle and the mandate review")
    w.post(th, "priya", "2024-01-22 11:30",
           text="Dear colleagues,\n\nTwo calls for inputs open today: one on "
           "the 2024 programme, and one on the Forum's contribution to the "
           "review of its mandate next year. Both close on {deadline}.\n\n"
           "The second call is new. The SG agreed in December that the "
           "Forum should prepare its own input to the review, based on a "
           "broad consultation. The working group led by Zoë will prepare "
           "a first synthesis.")
    w.replies(th, 2, "tree")
    dm = w.post(th, "ingrid", parent=th.msgs[0], mode="bottom", dmarc=True)
    note(dm, "DMARC: From rewritten to the list address (\"Ingrid Solberg "
         "via Policy-forum\"); the pipermail copy does not show the real "
         "address")
    w.replies(th, 3, "tree")

    th = w.thread(PF, "agenda",
                  "Agenda for the first 2024 open consultations")
    w.post(th, "lukas", "2024-02-05 13:10",
           text="Dear SG members,\n\nThe draft agenda for the open "
           "consultations and SG meeting (4-6 March) is on the meeting "
           "page. The main items are the themes for 2024, the format of "
           "the programme, and the Forum's input to the mandate review.\n\n"
           "Comments are welcome until {deadline}.")
    w.replies(th, 1, "tree")
    ab = w.post(th, "tomasz", parent=th.msgs[-1], absurd=True)
    note(ab, "absurd Date header (1945): the separator date is the real one")
    w.replies(th, 2, "tree")

    # Long chain with a subject change in the middle.
    th = w.thread(PF, "themes", "Proposal: fewer, bigger sessions")
    w.post(th, "hiroshi", "2024-02-19 21:00",
           text="Dear all,\n\nLooking at last year's programme, we had more "
           "than 300 sessions for 3,000 on-site participants. Many "
           "workshops had more speakers than participants. I would like to "
           "propose that we accept fewer sessions in 2024 (perhaps 150) and "
           "give each of them more time and a larger room.\n\n"
           "I know this means rejecting more proposals, which is painful. "
           "But I think quality and interaction should come first.")
    debaters = ["zoe", "kwame", "priya", "marguerite", "yuki", "elif",
                "camila", "hiroshi"]
    w.replies(th, 5, "chain", people=debaters)
    sc = w.post(th, "marguerite", parent=th.msgs[-1], mode="bottom",
                subject="Session formats and room capacity (was: Proposal: "
                "fewer, bigger sessions)")
    note(sc, "subject changed mid-thread (\"was:\")")
    w.replies(th, 6, "chain", people=debaters)

    th = w.thread(PF, "decision", "Summary of the March SG meeting")
    w.post(th, "priya", "2024-03-11 08:00",
           text="Dear all,\n\nThe main outcomes of last week's meeting:\n\n"
           "- The SG agreed on four themes for 2024: the future of the "
           "Forum; artificial intelligence; human rights online; "
           "connectivity and access.\n"
           "- The SG agreed to reduce the number of workshops to about 180, "
           "with longer slots.\n"
           "- The working group will circulate a first draft of the vision "
           "paper in April.\n\nThe full summary will be published next "
           "week.")
    w.post(th, "bogdan", parent=th.msgs[0], mode="inter")
    w.replies(th, 2, "tree")

    # Charset-unspecified text attachment, scrubbed.
    th = w.thread(PF, "proposals", "Call for session proposals 2024")
    w.post(th, "mariana", "2024-03-18 12:00",
           text="Dear SG members,\n\nThe call for session proposals is open "
           "until {deadline}. This year there are three formats: "
           "workshops (75 minutes), lightning talks (20 minutes) and open "
           "forums for organisations. Please share widely.")
    w.replies(th, 2, "tree")
    t = w.post(th, "kwame", parent=th.msgs[0], mode="bottom",
               text="I attach the text of the announcement we sent to "
               "operators in West Africa, in case others want to reuse "
               "it.", attach=[dict(name="call-announcement.txt",
                                   type="text/plain", size=1184,
                                   charset=None)])
    note(t, "pipermail: \"An embedded and charset-unspecified text was "
         "scrubbed...\" note")
    w.replies(th, 1, "tree")

    th = w.thread(PF, "draft",
                  "Vision paper for the Forum beyond 2025: first draft")
    w.post(th, "zoe", "2024-04-08 17:45",
           text="Dear all,\n\nOn behalf of the working group, please find "
           "attached the first draft of the vision paper. It is based on "
           "the 96 inputs received in the call and on our discussion in "
           "March. It has three parts: what the Forum does well; what "
           "should change; and options for its future mandate.\n\n"
           "Comments are welcome on the list or in the shared document "
           "until {deadline}.",
           attach=[dict(name="Vision-paper-draft1.pdf",
                        type="application/pdf", size=131902)], alt=True)
    w.replies(th, 8, "tree")

    th = w.thread(PF, "proposals", "Evaluation of 2024 proposals: "
                  "assignments")
    w.post(th, "lukas", "2024-04-29 09:20",
           text="Dear SG members,\n\nThe batches for the evaluation of the "
           "2024 proposals have been sent. Please complete your "
           "evaluations by {deadline} and let us know about any conflict "
           "of interest.")
    w.replies(th, 6, "fan", spread=9)

    th = w.thread(PF, "outreach",
                  "Language support and interpretation at the annual "
                  "meeting")
    w.post(th, "marguerite", "2024-05-20 10:40",
           text="Bonjour à toutes et à tous,\n\nLast year interpretation was "
           "available only in the main hall. Many participants from "
           "francophone Africa told us they could not follow the "
           "workshops. Could we explore automatic captioning with "
           "translation for the workshop rooms, and ask the host country "
           "whether it can support interpretation in at least two more "
           "rooms?", greet=False)
    w.replies(th, 4, "tree")

    th = w.thread(PF, "logistics", "June SG meeting: logistics")
    w.post(th, "mariana", "2024-06-03 09:15",
           text="Dear SG members,\n\nPlease confirm your participation in "
           "the June meeting (24-26 June) by replying to this message, "
           "indicating in person or online.")
    w.replies(th, 5, "fan", spread=6)

    th = w.thread(PF, "decision", "Decisions from the June meeting")
    w.post(th, "priya", "2024-06-28 07:50",
           text="Dear all,\n\nShort summary: the SG agreed on the list of "
           "main sessions and on the principle of one SG co-organiser per "
           "main session; the vision paper will go to public comment in "
           "July; and the secretariat will publish the draft programme by "
           "mid-July.")
    w.replies(th, 2, "tree")

    th = w.thread(PF, "draft", "Draft programme 2024 for comment")
    w.post(th, "lukas", "2024-07-15 10:00",
           text="Dear SG members,\n\nThe draft programme is now online. "
           "Please send comments on overlaps and missing speakers by "
           "{deadline}.")
    w.replies(th, 6, "tree")

    th = w.thread(PF, "intersessional",
                  "Intersessional outputs: timelines for the final reports")
    w.post(th, "thandiwe", "2024-08-05 11:00",
           text="Dear colleagues,\n\nThe BPFs and the policy networks plan "
           "to publish their draft reports for comment in September and "
           "the final versions at the annual meeting. Could SG liaisons "
           "check that the drafts will be ready in time for translation "
           "of the executive summaries?")
    w.replies(th, 4, "tree")

    # Forwarded message.
    th = w.thread(PF, "travel", "Fwd: Information note from the host country")
    fwd = ("________________________________\n"
           "From: Host Country Liaison Office <liaison@example.com>\n"
           "Sent: 29 August 2024 16:02\n"
           "To: IPCF Secretariat <secretariat@example.org>\n"
           "Subject: Information note\n\n"
           "Dear Secretariat,\n\nPlease find below practical information "
           "for participants in the annual meeting in Kestrel Bay.\n\n"
           "Visas: citizens of 84 countries can obtain a visa on arrival. "
           "Others should apply at least six weeks in advance.\n"
           "Transport: a shuttle will run between the official hotels and "
           "the venue every 20 minutes.\n"
           "Accreditation: badges can be collected at the venue from the "
           "day before the meeting.\n\n"
           "Best regards,\nHost Country Liaison Office")
    m = w.post(th, "mariana", "2024-09-02 09:30",
               text="Dear SG members,\n\nFor your information, see the note "
               "below from the host country.",
               extra_blocks=lambda out: out + [("fwd", fwd, "\n\n")])
    note(m, "forwarded message below the sign-off (not the author's text)")
    w.replies(th, 5, "tree")

    th = w.thread(PF, "draft", "Draft \"{city} Messages\"".format(
        city=CITY[2024]))
    w.post(th, "priya", "2024-09-23 08:30",
           text="Dear all,\n\nIn line with last year's practice, the "
           "drafting team for the key messages is: Yuki, Elif, Camila and "
           "myself. We will share a first draft ten days after the meeting. "
           "Please tell us now if you think the structure should change.")
    w.replies(th, 6, "chain")

    th = w.thread(PF, "rapporteur", "Rapporteur volunteers")
    w.post(th, "lukas", "2024-10-14 12:00",
           text="Dear SG members,\n\nWe still need rapporteurs for five of "
           "the main sessions. Please volunteer by replying to this "
           "message.")
    w.replies(th, 5, "fan", spread=4)

    th = w.thread(PF, "rapporteur", "Rapporteur report: Main session on the "
                  "future of the Forum")
    w.post(th, "yuki", "2024-11-11 10:00",
           text="Dear all,\n\nMy report on the main session on the future "
           "of the Forum.\n\n"
           "1. Speakers broadly agreed that the Forum should be made "
           "permanent, but differed on whether it should produce "
           "recommendations.\n"
           "2. Several speakers asked for a stronger link between the "
           "Forum and decision-making bodies.\n"
           "3. Funding was raised repeatedly; the current model depends on "
           "a small number of donors.\n\n"
           "The recording is available on the session page.")
    w.replies(th, 2, "tree")

    th = w.thread(PF, "governance",
                  "Stocktaking 2024 and call for SG nominations")
    w.post(th, "mariana", "2024-11-25 15:30",
           text="Dear SG members,\n\nTwo announcements. The stocktaking "
           "call for the 2024 cycle is open until {deadline}. And the "
           "convening office has opened the call for nominations to the "
           "2025 SG; members whose term ends this year may be renominated "
           "once.")
    w.replies(th, 4, "tree")

    th = w.thread(PF, "social", "End-of-year thanks")
    w.post(th, "priya", "2024-12-09 09:00",
           text="Dear all,\n\nThank you for a demanding year: the vision "
           "paper, a new programme format and a successful meeting in "
           "{city}. Special thanks to the secretariat, who made all of it "
           "possible.")
    w.replies(th, 6, "fan", spread=6)

    th = w.thread(PF, "social", "Holiday closure of the secretariat")
    m = w.post(th, "lukas", "2024-12-16 16:00", no_mid=True,
               text="Dear SG members,\n\nThe secretariat will be closed from "
               "23 December to 3 January. Urgent matters can be sent to the "
               "duty officer at secretariat@example.org.\n\nHappy holidays!")
    note(m, "no Message-ID header; its body mentions an address, "
         "obfuscated in pipermail")

    # ---- BPF Cybersecurity (mbox) ----------------------------------------
    B = ROSTER["bpf"]
    th = w.thread(BPF, "bpf", "Kick-off call: scheduling poll")
    g = w.post(th, "thandiwe", "2023-01-25 10:00", ghost=True,
               text="Dear all,\n\nWelcome to the BPF on Cybersecurity for "
               "2023! Please fill in the poll for our kick-off call by "
               "{deadline}.")
    a = w.post(th, "ingrid", "2023-02-10 09:12", parent=g, dmarc=True,
               mode="bottom")
    note(a, "reply to a message that is not in the mbox (ghost parent)")
    w.post(th, "dmitri", "2023-02-10 14:40", parent=g, mode="bottom")
    w.post(th, "tomasz", "2023-02-13 08:55", parent=a, mode="inter")

    th = w.thread(BPF, "bpf", "BPF Cybersecurity 2023 workplan (draft)")
    w.post(th, "tomasz", "2023-03-09 15:00",
           text="Dear all,\n\nFollowing the kick-off call, here is the "
           "draft workplan:\n\n"
           "  March     survey design\n"
           "  April     survey open; call for case studies\n"
           "  June      analysis; call for comments on the outline\n"
           "  September draft report for public comment\n"
           "  October   session at the annual meeting\n"
           "  November  final report\n\n"
           "The focus proposed by the kick-off call is the implementation "
           "of agreed cyber norms by non-state actors. Comments by "
           "{deadline}, please.")
    w.replies(th, 3, "tree", people=B)
    w.post(th, "priya", parent=th.msgs[0], alt=True, mode="top")
    w.replies(th, 3, "tree", people=B)

    th = w.thread(BPF, "bpf",
                  "Survey on implementation of cyber norms: draft questions")
    w.post(th, "ingrid", "2023-04-12 10:00", dmarc=True,
           text="Dear all,\n\nThe draft survey questions are in the shared "
           "document. The survey has four sections: A) about you; B) "
           "incident response; C) capacity building; D) cooperation with "
           "governments. We aim for 15 minutes to complete it.\n\n"
           "Please comment by {deadline}.")
    q = w.post(th, "marguerite", parent=th.msgs[0], latin1=True,
               mode="top",
               text="Merci Ingrid. Pour la version française, je peux "
               "m'occuper de la traduction avec une collègue. Une "
               "remarque : la section D est très orientée vers les "
               "gouvernements européens ; il faudrait des exemples "
               "d'Afrique et d'Amérique latine.")
    note(q, "quoted-printable body in ISO-8859-1")
    fl = w.post(th, "hiroshi", parent=q, flowed=True, mode="bottom",
                text="I agree with Marguerite on section D. I also think "
                "question B2 should distinguish between mandatory and "
                "voluntary reporting, since the answer depends a lot on "
                "national law and respondents will otherwise interpret "
                "it differently.\n\n"
                "From our measurement work I can offer some data on the "
                "response times of national CERTs, if that is useful for "
                "the analysis.")
    note(fl, "format=flowed; a body line starts with \"From \" "
         "(space-stuffed in the flowed text)")
    w.replies(th, 6, "chain", people=B)

    th = w.thread(BPF, "bpf", "Case studies: call for contributions")
    w.post(th, "thandiwe", "2023-05-08 09:30",
           text="Dear all,\n\nThe call for case studies is open until "
           "{deadline}. We are looking for short descriptions (one to two "
           "pages) of how organisations have implemented norms on incident "
           "response, vulnerability disclosure and the protection of "
           "critical infrastructure. Attachments can be sent to this list "
           "or to me directly.")
    w.replies(th, 2, "fan", people=B, spread=3)
    a1 = w.post(th, "sean", parent=th.msgs[0], mode="top", alt=True,
                text="Please find attached our case study on supply chain "
                "security for managed service providers. Happy to present "
                "it on a call.",
                attach=[dict(name="case-study-MSP-supply-chain.pdf",
                             type="application/pdf",
                             data=pdf_bytes("Case study: MSP supply chain",
                                            ["Anonymised case study",
                                             "BPF Cybersecurity 2023"]))])
    note(a1, "multipart/mixed with multipart/alternative and a PDF "
         "(base64)")
    a2 = w.post(th, "tomasz", parent=th.msgs[0], mode="bottom",
                text="While reading the questions again I made a small "
                "patch to the survey source in the repository; attached. "
                "It adds the question on vulnerability disclosure policies "
                "that several of you asked for.",
                attach=[dict(name="survey-disclosure.patch",
                             type="text/x-patch", data=PATCH.encode())])
    note(a2, "text/x-patch attachment")
    a3 = w.post(th, "dmitri", parent=th.msgs[0], mode="top",
                text="Our contribution is attached as plain text. We can "
                "provide more detail in a call.",
                attach=[dict(name="case-study-notes.txt",
                             type="text/plain", data=CASE_NOTES.encode(),
                             charset="utf-8")])
    note(a3, "text/plain attachment with a filename")
    w.replies(th, 3, "fan", people=B, spread=10)

    th = w.thread(BPF, "bpf", "Call minutes 14 June")
    w.post(th, "tomasz", "2023-06-16 11:00", nosig=True,
           text="Dear all,\n\nThe minutes of the call on 14 June are in the "
           "shared folder. Main points: 212 survey responses so far; the "
           "outline of the report will be shared on 30 June; next call on "
           "12 July.\n\n"
           ">From the chat: several participants asked for the survey to "
           "stay open until the end of June.")
    note(th.msgs[0], "body has a line \">From \" of the author's own text: "
         "mboxrd stores it as \">>From \"")
    hh = w.post(th, "sean", parent=th.msgs[0], html_only=True, mode="top",
                text="Thanks Tomasz. I agree we should keep the survey open "
                "until 30 June, the responses from Asia only started "
                "coming in last week.")
    note(hh, "HTML-only message with <blockquote>")
    w.replies(th, 2, "tree", people=B)

    th = w.thread(BPF, "bpf", "Draft report outline")
    m = w.post(th, "thandiwe", "2023-07-10 10:00", alt=False, nophone=True,
               text="Dear all,\n\nThe draft outline of the report is in "
               "the shared folder. Chapters: 1) introduction and method; 2) "
               "survey results; 3) case studies; 4) what helps and what "
               "hinders implementation; 5) recommendations.\n\n"
               "From the survey alone we have 340 complete responses, so "
               "chapter 2 will be the longest. Comments by {deadline}, "
               "please.")
    note(m, "body line starts with \"From \": mboxrd stores it as "
         "\">From \"")
    w.replies(th, 6, "tree", people=B)

    th = w.thread(BPF, "bpf", "Session at the annual meeting: speakers")
    w.post(th, "tomasz", "2023-09-05 14:30",
           text="Dear all,\n\nOur BPF session in Valmora has been confirmed "
           "for the second day. We need four speakers from different "
           "stakeholder groups and regions. Suggestions by {deadline}, "
           "please, and let us know if you would like to speak "
           "yourself.")
    w.replies(th, 5, "tree", people=B)
    sess = th

    th = w.thread(BPF, "bpf", "Final report published")
    w.post(th, "thandiwe", "2023-11-27 09:00",
           text="Dear all,\n\nThe final report of the BPF for 2023 is "
           "published on the Forum website. Many thanks to everyone who "
           "answered the survey, sent case studies and commented on the "
           "draft.")
    w.replies(th, 3, "fan", people=B, spread=5)

    late = w.post(sess, "mohammed", "2024-02-06 11:30",
                  parent=sess.msgs[2], mode="top",
                  text="Coming back to this thread months later: the "
                  "recording of our session is finally online, and the "
                  "question raised here about speakers from the Arab region "
                  "is still valid for this year.")
    note(late, "late reply: five months after the message it answers")

    th = w.thread(BPF, "bpf",
                  "2024 focus: incident response and capacity building")
    w.post(th, "thandiwe", "2024-02-12 10:00",
           text="Dear all,\n\nFor 2024 the co-facilitators propose to focus "
           "on two areas where the 2023 report found the biggest gaps: "
           "cooperation in incident response across borders, and capacity "
           "building for small organisations. Do you agree? Other "
           "suggestions are welcome until {deadline}.")
    w.replies(th, 2, "tree", people=B)
    dupsrc = w.post(th, "sean", parent=th.msgs[0], mode="top")
    w.post(th, "dmitri", parent=dupsrc, mode="bottom")
    w.replies(th, 2, "tree", people=B)

    th = w.thread(BPF, "bpf",
                  "Survey translations: 中文 and Русский versions")
    w.post(th, "meiling", "2024-04-09 09:00", alt=False,
           text="Dear all,\n\nThe Chinese translation of the survey is "
           "ready (问卷调查 2024). Dmitri has finished the Russian version "
           "(опрос 2024). Could someone check both against the English "
           "text before we publish them?")
    note(th.msgs[0], "RFC 2047 encoded subject and From; UTF-8 body sent "
         "as base64")
    w.replies(th, 4, "tree", people=B)

    th = w.thread(BPF, "bpf", "Call for case studies 2024")
    w.post(th, "ingrid", "2024-06-03 10:00", dmarc=True,
           text="Dear all,\n\nThe call for case studies for 2024 is open "
           "until {deadline}. This year we focus on cross-border incident "
           "response and on training programmes for small organisations.")
    w.replies(th, 1, "tree", people=B)
    dup = w.post(th, "sean", parent=th.msgs[0], mode="top", mid=dupsrc.mid,
                 text="We will contribute a case study on a training "
                 "programme we ran with a chamber of commerce. Draft by the "
                 "end of the month.")
    note(dup, "reuses the Message-ID of a different, earlier message "
         "(client bug)")
    w.replies(th, 1, "tree", people=B)

    th = w.thread(BPF, "bpf", "Draft 2024 report for comment")
    w.post(th, "thandiwe", "2024-09-16 09:00",
           text="Dear all,\n\nThe draft 2024 report is open for comment "
           "until {deadline}. It includes 14 case studies and the results "
           "of the survey in three languages.")
    w.replies(th, 2, "chain", people=B)
    w.post(th, "zoe", parent=th.msgs[-1], mode="top")
    nl = w.post(th, "kwame", parent=th.msgs[-1], mode="top", nolink=True)
    note(nl, "reply without In-Reply-To and References")
    w.replies(th, 2, "chain", people=B)

    th = w.thread(BPF, "bpf", "Thanks and next steps")
    w.post(th, "tomasz", "2024-12-02 10:00",
           text="Dear all,\n\nThe 2024 report is final. Thank you all. The "
           "co-facilitators will propose topics for 2025 in January.")
    w.replies(th, 3, "fan", people=B, spread=8)


# ---------------------------------------------------------------------------
# Encodings.

def obfuscate(s):
    """Mailman 2.1 ARCHIVER_OBSCURES_EMAILADDRS."""
    return re.sub(r"([-+,.\w]+)@([-+.\w]+)", r"\1 at \2", s, flags=re.ASCII)


def encoded_words(text, enc, charset="utf-8", chunk=18):
    """RFC 2047 encoded words, split on character boundaries."""
    words = []
    for i in range(0, len(text), chunk):
        part = text[i:i + chunk].encode(charset)
        if enc == "b":
            words.append("=?%s?B?%s?=" % (charset.upper() if charset ==
                                          "utf-8" else charset,
                                          base64.b64encode(part).decode()))
        else:
            q = ""
            for b in part:
                c = chr(b)
                if c == " ":
                    q += "_"
                elif c.isalnum() and b < 128 or c in "!*+-/":
                    q += c
                else:
                    q += "=%02X" % b
            words.append("=?%s?Q?%s?=" % (charset.upper() if charset ==
                                          "utf-8" else charset, q))
    return words


def enc_name(p, name):
    if all(ord(c) < 128 for c in name):
        if re.search(r'[.,:;"()<>@]', name):
            return '"%s"' % name
        return name
    if p.client.startswith("outlook"):
        try:
            name.encode("latin-1")
            return " ".join(encoded_words(name, "q", "iso-8859-1", 40))
        except UnicodeEncodeError:
            pass
    if any(ord(c) > 0x24f for c in name):
        return " ".join(encoded_words(name, "b", "utf-8", 20))
    return " ".join(encoded_words(name, "q", "utf-8", 30))


def enc_subject(s, prefix_len):
    if all(ord(c) < 128 for c in s):
        return s
    # keep the ASCII lead ("Re: [List] ") readable, encode the rest
    m = re.match(r"((?:Re: )?\[[^\]]+\] )", s)
    lead = m.group(1) if m else ""
    words = encoded_words(s[len(lead):], "b", "utf-8", 12)
    return lead + "\n ".join(words)


def fold_refs(refs, client):
    if not refs:
        return None
    ids = ["<%s>" % x for x in refs]
    if client == "thunderbird":
        return "\n ".join(ids)
    out, line = [], ""
    for i in ids:
        if line and len(line) + len(i) + 13 > 78:
            out.append(line)
            line = i
        else:
            line = (line + " " + i) if line else i
    out.append(line)
    return ("\n\t" if client.startswith("outlook") else "\n ").join(out)


def irt_value(m):
    if not m.irt:
        return None
    if m.author.client == "gnus":
        q = m.parent
        return '<%s> (%s\'s message of "%s")' % (
            m.irt, q.author.name, date_header(q.date, q.author))
    return "<%s>" % m.irt


def dateval(m):
    if m.flags.get("absurd"):
        return date_header(m.date.replace(year=1945), m.author)
    return date_header(m.date, m.author)


def flowed(text):
    """RFC 3676 encoding of unwrapped paragraphs (quotes kept as is)."""
    out = []
    for line in text.split("\n"):
        if line.startswith(">") or line == "-- " or len(line) <= 72:
            if line.startswith("From ") or line.startswith(" "):
                line = " " + line
            out.append(line.rstrip(" ") if line != "-- " else line)
            continue
        words = line.split(" ")
        cur = ""
        segs = []
        for wd in words:
            if cur and len(cur) + 1 + len(wd) > 72:
                segs.append(cur + " ")
                cur = wd
            else:
                cur = (cur + " " + wd) if cur else wd
        segs.append(cur)
        for sg in segs:
            if sg.startswith("From ") or sg.startswith(" "):
                sg = " " + sg
            out.append(sg)
    return "\n".join(out)


def html_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def to_html(m):
    """An HTML rendering of the message blocks, as a mail client makes it."""
    out = ['<div dir="ltr">'] if m.author.client.startswith("gmail") else \
        ["<html><head><meta http-equiv=\"Content-Type\" content=\"text/html;"
         " charset=utf-8\"></head><body>"]
    for kind, text, sep in m.blocks:
        if kind in ("new", "sig", "phone"):
            out.append("<div>%s</div><div><br></div>" %
                       "<br>".join(html_escape(x) for x in text.split("\n")))
        elif kind == "attr" and m.author.client.startswith("outlook"):
            out.append('<hr style="display:inline-block;width:98%%" '
                       'tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">%s'
                       '</div>' % "<br>".join(
                           html_escape(x) for x in text.split("\n")[1:]))
        elif kind == "attr":
            out.append('<div class="gmail_quote"><div dir="ltr" '
                       'class="gmail_attr">%s<br></div>' %
                       html_escape(text.replace("\n", " ")))
        elif kind in ("quote", "orig", "fwd"):
            lines = []
            for l in text.split("\n"):
                if kind == "quote":
                    l = re.sub(r"^> ?", "", l)
                lines.append(html_escape(l))
            out.append('<blockquote style="margin:0px 0px 0px 0.8ex;'
                       'border-left:1px solid rgb(204,204,204);'
                       'padding-left:1ex">%s</blockquote>' % "<br>".join(lines))
            if kind == "quote" and not m.author.client.startswith("outlook"):
                out.append("</div>")
        elif kind == "snip":
            out.append("<div>%s</div>" % html_escape(text))
    out.append("</div>" if m.author.client.startswith("gmail") else
               "</body></html>")
    return "\n".join(out) + "\n"


def qp(data):
    return quopri.encodestring(data, quotetabs=False).decode("ascii")


def b64(data):
    return base64.encodebytes(data).decode("ascii")


# ---------------------------------------------------------------------------
# Pipermail.

def pm_scrub(m, lst, seq):
    """The body pipermail stores and the attachments it scrubbed."""
    day = m.date.strftime("%Y%m%d")
    atts = m.attachments
    h = None
    for a in atts:
        h = h or a.get("hash")
    h = h or hashlib.sha1((m.mid or "seq%d" % seq).encode()).hexdigest()[:8]
    base = "http://%s/pipermail/%s/attachments/%s/%s/" % (HOST, lst, day, h)
    notes, scrubbed = [], []
    if m.flags.get("html_only"):
        note_ = ("An HTML attachment was scrubbed...\nURL: <%sattachment-0001"
                 ".html>\n" % base)
        scrubbed.append(dict(filename=None, content_type="text/html",
                             size=None, url=base + "attachment-0001.html"))
        return note_, scrubbed
    if m.flags.get("alt"):
        notes.append("An HTML attachment was scrubbed...\nURL: <%s"
                     "attachment-0001.html>\n" % base)
        scrubbed.append(dict(filename=None, content_type="text/html",
                             size=None, url=base + "attachment-0001.html"))
    for a in atts:
        ext = os.path.splitext(a["name"])[1]
        url = "%sattachment-0001%s" % (base, ext)
        size = a.get("size") or len(a["data"])
        if a["type"] == "text/plain" and a.get("charset") is None:
            notes.append("An embedded and charset-unspecified text was "
                         "scrubbed...\nName: %s\nURL: <%s>\n" % (a["name"],
                                                                 url))
        else:
            notes.append("A non-text attachment was scrubbed...\nName: %s\n"
                         "Type: %s\nSize: %d bytes\nDesc: not available\n"
                         "URL: <%s>\n" % (a["name"], a["type"], size, url))
        scrubbed.append(dict(filename=a["name"], content_type=a["type"],
                             size=size, url=url))
    body = m.body
    for n in notes:
        body += "-------------- next part --------------\n" + n
    if m.flags.get("tight_scrub"):
        body = body.rstrip("\n")
    return body, scrubbed


def pm_message(m, lst, seq):
    addr = obfuscate(m.from_addr(lst))
    name = m.from_name(lst) or addr
    h = ["From %s  %s" % (addr, ctime(m.date)),
         "From: %s (%s)" % (addr, name),
         "Date: %s" % dateval(m),
         "Subject: %s" % m.subject_for(lst)]
    if m.irt:
        h.append("In-Reply-To: %s" % irt_value(m))
    refs = fold_refs(m.refs, m.author.client)
    if refs:
        h.append("References: %s" % refs)
    if m.mid:
        h.append("Message-ID: <%s>" % m.mid)
    body, scrubbed = pm_scrub(m, lst, seq)
    return "\n".join(h) + "\n\n" + obfuscate(body) + "\n", scrubbed


# ---------------------------------------------------------------------------
# mbox (one subscriber's copy of list mail, as Mailman 2.1 delivers it).

class Part:
    def __init__(self, headers, payload=None, parts=None, boundary=None,
                 preamble=None):
        self.headers, self.payload, self.parts = headers, payload, parts
        self.boundary, self.preamble = boundary, preamble

    def render(self):
        s = "".join("%s: %s\n" % hv for hv in self.headers) + "\n"
        if self.parts is None:
            return s + self.payload
        if self.preamble:
            s += self.preamble + "\n"
        for p in self.parts:
            s += "--%s\n" % self.boundary + p.render() + "\n"
        return s + "--%s--\n" % self.boundary


class MboxWriter:
    def __init__(self, w):
        self.w = w
        self.rng = random.Random(SEED + 1)

    def boundary(self, style):
        r = self.rng
        if style == "gmail":
            return "000000000000" + "".join(r.choice("0123456789abcdef")
                                            for _ in range(12))
        if style == "tb":
            return "------------" + "".join(r.choice(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                for _ in range(24))
        if style == "apple":
            u = "".join(r.choice("0123456789ABCDEF") for _ in range(32))
            return "Apple-Mail=_%s-%s-%s-%s-%s" % (u[:8], u[8:12], u[12:16],
                                                   u[16:20], u[20:])
        if style == "outlook":
            return "_000_%s_" % "".join(r.choice("0123456789ABCDEF")
                                        for _ in range(40))
        return "===============%019d==" % r.randrange(10 ** 18, 10 ** 19)

    def text_part(self, text, charset=None, params=""):
        """Content-Type/CTE and payload of a text/plain part as sent."""
        if charset is None:
            charset = "us-ascii" if all(ord(c) < 128 for c in text) else "utf-8"
        data = text.encode(charset)
        if charset == "iso-8859-1":
            cte, pl = "quoted-printable", qp(data)
        elif max(len(l) for l in text.split("\n")) > 76:
            cte, pl = "quoted-printable", qp(data)
        elif charset == "us-ascii":
            cte, pl = "7bit", text
        else:
            cte, pl = "8bit", text
        return [("Content-Type", 'text/plain; charset="%s"%s' % (charset,
                                                                   params)),
                ("Content-Transfer-Encoding", cte)], pl

    def footer_part(self):
        return Part([("Content-Type", 'text/plain; charset="us-ascii"'),
                     ("MIME-Version", "1.0"),
                     ("Content-Transfer-Encoding", "7bit"),
                     ("Content-Disposition", "inline")], footer(BPF))

    def attachment_part(self, a, style):
        data = a.get("data") or b""
        name = a["name"]
        if a["type"] == "application/pdf":
            hs = [("Content-Type", 'application/pdf; name="%s"' % name),
                  ("Content-Disposition", 'attachment; filename="%s"' % name),
                  ("Content-Transfer-Encoding", "base64")]
            if style == "gmail":
                hs.append(("Content-ID", "<f_%s>" % hashlib.sha1(
                    data).hexdigest()[:11]))
                hs.append(("X-Attachment-Id", "f_%s" % hashlib.sha1(
                    data).hexdigest()[:11]))
            return Part(hs, b64(data))
        cs = "; charset=UTF-8" if a.get("charset") else ""
        hs = [("Content-Type", '%s%s; name="%s"' % (a["type"], cs, name)),
              ("Content-Disposition", 'attachment; filename="%s"' % name),
              ("Content-Transfer-Encoding", "7bit")]
        return Part(hs, data.decode("utf-8"))

    def message(self, m):
        """-> (text of the message without its From_ line, delivery time,
        attachments as the truth records them)."""
        r = self.rng
        p = m.author
        lst = BPF
        delivered = m.date + dt.timedelta(seconds=r.randint(4, 95))
        style = "gmail" if p.client.startswith("gmail") else \
            "tb" if p.client in ("thunderbird", "gnus") else \
            "outlook" if p.client.startswith("outlook") else "apple"
        # the author's body
        text = m.body
        params = ""
        charset = None
        if m.flags.get("flowed"):
            text = flowed(m.body.rstrip("\n")) + "\n"
            params = "; format=flowed"
        if m.flags.get("latin1"):
            charset = "iso-8859-1"
        atts = []
        content, decorated = None, False
        if m.flags.get("html_only"):
            html = to_html(m)
            inner = Part([("Content-Type", 'text/html; charset="utf-8"'),
                          ("Content-Transfer-Encoding", "quoted-printable")],
                         qp(html.encode("utf-8")))
            content = Part([("Content-Type", 'multipart/mixed; boundary="%s"'
                             % self.boundary("mm"))], parts=[
                inner, self.footer_part()])
            content.boundary = content.headers[0][1].split('"')[1]
        elif m.flags.get("alt") or m.attachments:
            parts = []
            if m.flags.get("alt"):
                th, tp = self.text_part(text, "utf-8" if style == "gmail"
                                        else charset, params)
                html = to_html(m)
                hp = Part([("Content-Type", 'text/html; charset="UTF-8"'),
                           ("Content-Transfer-Encoding", "quoted-printable")],
                          qp(html.encode("utf-8")))
                b = self.boundary(style)
                alt = Part([("Content-Type",
                             'multipart/alternative; boundary="%s"' % b)],
                           parts=[Part(th, tp), hp], boundary=b)
                parts.append(alt)
            else:
                th, tp = self.text_part(text, charset, params)
                parts.append(Part(th, tp))
            for a in m.attachments:
                parts.append(self.attachment_part(a, style))
                data = a.get("data") or b""
                atts.append(dict(filename=a["name"], content_type=a["type"],
                                 size=len(data)))
            if m.attachments:
                b = self.boundary(style)
                parts.append(self.footer_part())      # Mailman appends
                content = Part([("Content-Type",
                                 'multipart/mixed; boundary="%s"' % b)],
                               parts=parts, boundary=b,
                               preamble="This is a multi-part message in MIME "
                               "format." if style == "tb" else None)
            else:                                     # Mailman wraps
                b = self.boundary("mm")
                content = Part([("Content-Type",
                                 'multipart/mixed; boundary="%s"' % b)],
                               parts=[parts[0], self.footer_part()],
                               boundary=b)
        else:
            # single text/plain: Mailman decorates and re-encodes
            decorated = True
            t = text if text.endswith("\n") else text + "\n"
            t += footer(lst)
            if charset == "iso-8859-1":
                cte, pl = "quoted-printable", qp(t.encode(charset))
                cs = charset
            elif all(ord(c) < 128 for c in t):
                cte, pl, cs = "7bit", t, "us-ascii"
            else:
                cte, pl, cs = "base64", b64(t.encode("utf-8")), "utf-8"
            content = Part([("Content-Type", 'text/plain; charset="%s"%s'
                             % (cs, params)),
                            ("Content-Transfer-Encoding", cte)], pl)
        # headers
        h = []
        h.append(("Return-Path", "<%s-bounces@%s>" % (lst, HOST)))
        h.append(("X-Original-To", SUBSCRIBER))
        h.append(("Delivered-To", SUBSCRIBER))
        t1 = delivered
        t0 = delivered - dt.timedelta(seconds=r.randint(1, 3))
        sent = m.date + dt.timedelta(seconds=r.randint(1, 3))
        rfc = lambda d: "%s, %d %s %d %02d:%02d:%02d +0000 (UTC)" % (
            EN_DOW[d.weekday()], d.day, EN_MON[d.month - 1], d.year,
            d.hour, d.minute, d.second)
        qid = lambda n: "".join(r.choice("0123456789ABCDEFGHJKLMNPQRSTVWXYZ")
                                for _ in range(n))
        h.append(("Received", "from %s (%s [192.0.2.25])\n\tby mx.example.net"
                  " (Postfix) with ESMTPS id 4%s\n\tfor <%s>; %s" % (
                      HOST, HOST, qid(11), SUBSCRIBER, rfc(t1))))
        h.append(("Received", "from %s (localhost [127.0.0.1])\n\tby %s "
                  "(Postfix) with ESMTP id %s;\n\t%s" % (
                      HOST, HOST, qid(10), rfc(t0))))
        dom = p.addr.split("@")[1]
        h.append(("Received", "from mail.%s (mail.%s [198.51.100.%d])\n\tby "
                  "%s (Postfix) with ESMTPS id %s\n\tfor <%s@%s>; %s" % (
                      dom, dom, 10 + sorted(PEOPLE).index(p.key), HOST,
                      qid(10), lst, HOST, rfc(sent))))
        h.append(("MIME-Version", "1.0"))
        fname = m.from_name(lst)
        if fname:
            h.append(("From", "%s <%s>" % (enc_name(p, fname),
                                           m.from_addr(lst))))
        else:
            h.append(("From", m.from_addr(lst)))
        h.append(("Date", dateval(m)))
        if m.mid:
            h.append(("Message-ID", "<%s>" % m.mid))
        h.append(("Subject", enc_subject(m.subject_for(lst), 0)))
        if len(m.lists) > 1:
            h.append(("To", "%s@%s" % (PF, HOST)))
            h.append(("Cc", "%s@%s" % (BPF, HOST)))
        else:
            h.append(("To", "%s@%s" % (lst, HOST)))
        if m.irt:
            h.append(("In-Reply-To", irt_value(m)))
        refs = fold_refs(m.refs, p.client)
        if refs:
            h.append(("References", refs))
        ua = {"thunderbird": ("User-Agent", "Mozilla Thunderbird"),
              "gnus": ("User-Agent", "Gnus/5.13 (Gnus v5.13)"),
              "apple": ("X-Mailer", "Apple Mail (2.3731.700.6)"),
              "iphone": ("X-Mailer", "iPhone Mail (20E252)"),
              "outlook": ("X-Mailer", "Microsoft Outlook 16.0")}.get(p.client)
        if ua:
            h.append(ua)
        if not decorated:
            h.extend(content.headers)
        h += [("X-BeenThere", "%s@%s" % (lst, HOST)),
              ("X-Mailman-Version", "2.1.39"),
              ("Precedence", "list"),
              ("List-Id", "%s <%s.%s>" % (LISTS[lst]["desc"], lst, HOST)),
              ("List-Unsubscribe", "<https://%s/mailman/options/%s>,\n "
               "<mailto:%s-request@%s?subject=unsubscribe>" % (HOST, lst,
                                                               lst, HOST)),
              ("List-Archive", "<https://%s/pipermail/%s/>" % (HOST, lst)),
              ("List-Post", "<mailto:%s@%s>" % (lst, HOST)),
              ("List-Help", "<mailto:%s-request@%s?subject=help>" % (lst,
                                                                    HOST)),
              ("List-Subscribe", "<https://%s/mailman/listinfo/%s>,\n "
               "<mailto:%s-request@%s?subject=subscribe>" % (HOST, lst, lst,
                                                             HOST))]
        if decorated:
            h.extend(content.headers)
        if m.flags.get("dmarc"):
            h.append(("Reply-To", "%s <%s>" % (p.name, p.addr)))
        h += [("Errors-To", "%s-bounces@%s" % (lst, HOST)),
              ("Sender", '"%s" <%s-bounces@%s>' % (LISTS[lst]["real"], lst,
                                                   HOST))]
        h = [(k, v) for k, v in h if v != ""]
        content.headers = h
        return content.render(), delivered, atts


def mboxrd_escape(text):
    return re.sub(r"(?m)^(>*From )", r">\1", text)


# ---------------------------------------------------------------------------
# Output.

def truth_common(m, lst, th_root_archived):
    th = m.thread
    root = th.root
    return dict(
        list=lst,
        message_id=m.mid,
        references=list(m.refs),
        parent=m.parent.mid if m.parent else None,
        parent_linked=bool(m.parent and m.link),
        thread=th.no,
        root=root.mid,
        root_archived=th_root_archived,
        author=m.author.addr,
        author_name=m.author.name,
        from_addr=m.from_addr(lst),
        from_name=m.from_name(lst),
        date=iso(m.date),
        date_header=dateval(m),
        subject=m.subject_for(lst),
        new_text="\n\n".join(m.new_paras_rendered),
        quotes=[x for x in m.quotes if x],
        notes=list(m.flags.get("notes", [])),
    )


def generate(out):
    w = World(SEED)
    plan(w)
    msgs = w.msgs
    archived = set(id(m) for m in msgs)
    os.makedirs(os.path.join(out, "pipermail", PF), exist_ok=True)
    os.makedirs(os.path.join(out, "mbox"), exist_ok=True)
    truth = []
    copies_of = {}
    for m in msgs:
        copies_of[id(m)] = len(m.lists)
    # mid -> number of distinct messages using it
    mid_users = {}
    for m in msgs:
        if m.mid:
            mid_users.setdefault(m.mid, []).append(m)

    def extra(m, rec):
        rec["copies"] = copies_of[id(m)]
        rec["duplicate_mid"] = bool(m.mid and len(mid_users[m.mid]) > 1)
        return rec

    # pipermail
    pf = sorted([m for m in msgs if PF in m.lists],
                key=lambda m: (m.date, m.seq))
    months = {}
    for m in pf:
        months.setdefault((m.date.year, m.date.month), []).append(m)
    files = {}
    for (y, mo), ms in sorted(months.items()):
        rel = "pipermail/%s/%d-%s.txt.gz" % (PF, y, EN_MONTH[mo - 1])
        buf = io.StringIO()
        for i, m in enumerate(ms):
            off = len(buf.getvalue().encode("utf-8"))
            text, scrubbed = pm_message(m, PF, m.seq)
            buf.write(text)
            rec = dict(file=rel, format="pipermail", index=i, offset=off,
                       length=len(text.encode("utf-8")), list_id=None,
                       envelope_date=iso(m.date))
            rec.update(truth_common(m, PF, id(m.thread.root) in archived))
            rec["attachments"] = scrubbed
            if m.flags.get("html_only"):
                rec["text_lost"] = True
                rec["new_text_original"] = rec["new_text"]
                rec["new_text"] = ""
            rec["new_text"] = obfuscate(rec["new_text"])
            truth.append(extra(m, rec))
        data = buf.getvalue().encode("utf-8")
        files[rel] = data
        gz = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=gz, mtime=0,
                           compresslevel=9) as f:
            f.write(data)
        with open(os.path.join(out, rel), "wb") as f:
            f.write(gz.getvalue())
    # mbox
    mw = MboxWriter(w)
    bm = sorted([m for m in msgs if BPF in m.lists],
                key=lambda m: (m.date, m.seq))
    rel = "mbox/%s.mbox" % BPF
    buf = bytearray()
    recs = []
    for i, m in enumerate(bm):
        text, delivered, atts = mw.message(m)
        sep = "From %s-bounces@%s  %s\n" % (BPF, HOST, ctime(delivered))
        chunk = (sep + mboxrd_escape(text)).encode("utf-8")
        if not chunk.endswith(b"\n"):
            chunk += b"\n"
        chunk += b"\n"
        rec = dict(file=rel, format="mboxrd", index=i, offset=len(buf),
                   length=len(chunk), list_id="%s.%s" % (BPF, HOST),
                   envelope_date=iso(delivered))
        buf += chunk
        rec.update(truth_common(m, BPF, id(m.thread.root) in archived))
        rec["attachments"] = atts
        if m.flags.get("flowed"):
            rec["notes"].append("new_text is the unflowed text (RFC 3676 "
                                "soft line breaks joined)")
        recs.append(extra(m, rec))
    truth += recs
    with open(os.path.join(out, rel), "wb") as f:
        f.write(bytes(buf))
    files[rel] = bytes(buf)
    with open(os.path.join(out, "truth.jsonl"), "w", encoding="utf-8",
              newline="\n") as f:
        for rec in truth:
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=True,
                               separators=(",", ":")) + "\n")
    stats = count(truth, files)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write(readme(stats))
    return truth, files, stats


def count(truth, files):
    per_file = {}
    for t in truth:
        per_file[t["file"]] = per_file.get(t["file"], 0) + 1
    mids = set(t["message_id"] for t in truth if t["message_id"])
    dup_pairs = set()
    by_mid = {}
    for t in truth:
        if t["message_id"]:
            by_mid.setdefault(t["message_id"], set()).add(
                (t["author"], t["date"]))
    for k, v in by_mid.items():
        if len(v) > 1:
            dup_pairs.add(k)
    messages = set((t["message_id"], t["author"], t["date"]) for t in truth)
    s = dict(
        per_file=per_file,
        copies=len(truth),
        copies_per_list={l: sum(1 for t in truth if t["list"] == l)
                         for l in (PF, BPF)},
        messages=len(messages),
        distinct_mids=len(mids),
        threads=len(set(t["thread"] for t in truth)),
        threads_per_list={l: len(set(t["thread"] for t in truth
                                     if t["list"] == l)) for l in (PF, BPF)},
        no_mid=sum(1 for t in truth if t["message_id"] is None),
        dup_pairs=len(dup_pairs),
        dup_mids=sorted(dup_pairs),
        crossposted=len(set(t["message_id"] for t in truth
                            if t["copies"] > 1)),
        ghost_threads=len(set(t["thread"] for t in truth
                              if not t["root_archived"])),
        unlinked=sum(1 for t in truth if t["parent"] and
                     not t["parent_linked"]),
        replies=sum(1 for t in truth if t["parent"]),
        bytes={k: len(v) for k, v in files.items()},
    )
    return s


def readme(s):
    L = []
    a = L.append
    a("# larch sample archive\n")
    a("A small, entirely **fictional** archive used by the README's first "
      "command and by the tests. It imitates two Mailman 2.1 lists on "
      "`%s`:\n" % HOST)
    a("- `policy-forum` — the steering group (SG) list of the invented "
      "*Internet Policy Coordination Forum* (IPCF), January 2023 to "
      "December 2024, as **pipermail monthly text archives** "
      "(`pipermail/policy-forum/YYYY-Month.txt.gz`, exactly as pipermail "
      "writes them: obfuscated addresses, no MIME headers, scrubbed "
      "attachments).")
    a("- `bpf-cybersecurity` — the list of the invented *Best Practice Forum "
      "on Cybersecurity*, as **one subscriber's mbox** "
      "(`mbox/bpf-cybersecurity.mbox`, mboxrd `>From` escaping) holding "
      "full MIME messages as Mailman 2.1 delivers them (List-Id, List-Post, "
      "footer).\n")
    a("All people, organisations, places, events and text are invented. "
      "Only `example.org`, `example.net` and `example.com` domains and "
      "documentation IP ranges appear.\n")
    a("## Regenerating\n")
    a("```sh\npython3 sample/mksample.py            # rewrites sample/\n"
      "python3 sample/mksample.py --out DIR  # writes elsewhere\n"
      "python3 sample/mksample.py --verify   # regenerate to a temp dir, "
      "compare bytes, check truth\n```\n")
    a("The generator uses only the Python 3 standard library, a fixed seed "
      "(%d) and gzip with mtime 0, so every run produces the same bytes. "
      "Do not edit the archives by hand: change `mksample.py` and "
      "regenerate.\n" % SEED)
    a("## Exact counts\n")
    a("| file | messages | bytes (uncompressed) |\n|---|---:|---:|")
    for k in sorted(s["per_file"], key=lambda x: (x.startswith("mbox"),
                                                  x[:-7][-4:] if False else
                                                  _month_key(x))):
        a("| `%s` | %d | %d |" % (k, s["per_file"][k], s["bytes"][k]))
    a("")
    a("| quantity | count |\n|---|---:|")
    a("| message copies (entries in `truth.jsonl`) | %d |" % s["copies"])
    a("| copies in `policy-forum` (pipermail) | %d |"
      % s["copies_per_list"][PF])
    a("| copies in `bpf-cybersecurity` (mbox) | %d |"
      % s["copies_per_list"][BPF])
    a("| distinct messages | %d |" % s["messages"])
    a("| distinct Message-IDs | %d |" % s["distinct_mids"])
    a("| messages without Message-ID | %d |" % s["no_mid"])
    a("| duplicate-id pairs (two different messages, one Message-ID) | %d |"
      % s["dup_pairs"])
    a("| messages cross-posted to both lists (one copy in each) | %d |"
      % s["crossposted"])
    a("| threads (both lists) | %d |" % s["threads"])
    a("| threads with copies in `policy-forum` | %d |"
      % s["threads_per_list"][PF])
    a("| threads with copies in `bpf-cybersecurity` | %d |"
      % s["threads_per_list"][BPF])
    a("| threads whose root is not in the sample (ghost root) | %d |"
      % s["ghost_threads"])
    a("| copies that are replies | %d |" % s["replies"])
    a("| replies without In-Reply-To/References | %d |" % s["unlinked"])
    a("")
    a("Identities: copies = messages + %d (cross-posts); distinct "
      "Message-IDs = messages - messages without id - duplicate-id pairs.\n"
      % (s["copies"] - s["messages"]))
    a("## truth.jsonl\n")
    a("One JSON object per message copy, in file order (pipermail months in "
      "order, then the mbox). Keys:\n")
    for k, v in TRUTH_KEYS:
        a("- `%s`: %s" % (k, v))
    a("")
    a("## What a parser should find tricky\n")
    for k in TRICKY:
        a("- " + k)
    a("")
    return "\n".join(L)


def _month_key(path):
    m = re.search(r"(\d{4})-(\w+)\.txt\.gz$", path)
    if not m:
        return (9999, 0)
    return (int(m.group(1)), EN_MONTH.index(m.group(2)))


TRUTH_KEYS = [
    ("file", "path relative to `sample/`"),
    ("format", "`pipermail` or `mboxrd`"),
    ("index", "0-based position of the copy in its file"),
    ("offset, length", "byte range in the *uncompressed* file, from the "
     "first byte of the `From ` separator up to (not including) the next "
     "separator; the blank line after a message belongs to it"),
    ("list", "short list name"),
    ("list_id", "List-Id without brackets (mbox), null for pipermail"),
    ("message_id", "Message-ID without brackets, null when the copy has "
     "none"),
    ("references", "ids in the References header, in order, without "
     "brackets ([] when absent); In-Reply-To always names `parent` when "
     "`parent_linked` is true and is absent otherwise"),
    ("parent", "id of the message this one answers, even when the headers "
     "do not say so (see `parent_linked`); null for thread roots"),
    ("parent_linked", "true when In-Reply-To/References name the parent"),
    ("thread", "thread number; copies with the same number form one "
     "conversation (a hijacked thread keeps its number)"),
    ("root", "id of the thread's first message; `root_archived` is false "
     "when that message is not in the sample (ghost root)"),
    ("author, author_name", "the real author (also for DMARC-rewritten "
     "From headers)"),
    ("from_addr, from_name", "what the From header says (un-obfuscated); "
     "from_name is null when there is no display name"),
    ("date", "when the message was sent (UTC); for the message "
     "with an absurd Date header this is the separator date"),
    ("date_header", "the Date header as written"),
    ("envelope_date", "the date on the `From ` separator line (UTC)"),
    ("subject", "decoded Subject as in the copy (list tag and `Re:` kept)"),
    ("new_text", "the author's own text: greeting, body and sign-off, "
     "without quotes, attribution lines, `-- ` or Outlook signatures, "
     "\"Sent from my iPhone\", forwarded messages, list footers and "
     "scrubber notes. Paragraphs are joined by one blank line; lines are "
     "as in the copy (pipermail copies have obfuscated addresses; the "
     "format=flowed message is unflowed)"),
    ("text_lost, new_text_original", "only for the HTML-only message in "
     "pipermail, whose text the archive does not keep"),
    ("quotes", "ids of the messages quoted directly (one level)"),
    ("attachments", "`{filename, content_type, size}` (decoded size); for "
     "pipermail the scrubbed parts with their `url` (size null when the "
     "note gives none)"),
    ("copies", "how many copies of this message the sample holds"),
    ("duplicate_mid", "true when another, different message has the same "
     "Message-ID"),
    ("notes", "why this copy is interesting, if it is"),
]

TRICKY = [
    "pipermail separators are `From user at host  Thu Jan  5 09:12:44 2023` "
    "(obfuscated address, two spaces, ctime with a space-padded day); body "
    "lines starting with `From ` are *not* escaped in pipermail, one of "
    "them is `From secretariat at example.org you will ...`",
    "2023-March: a separator directly follows a scrubber note (no blank "
    "line before it)",
    "pipermail `References:` headers are folded over several lines",
    "a Gnus `In-Reply-To: <id> (Name's message of \"date\")`",
    "a pipermail Date header in 1945; use the separator date",
    "two pipermail messages without Message-ID (one is a reply, with "
    "In-Reply-To)",
    "scrubber notes: HTML (\"An HTML attachment was scrubbed...\"), PDF "
    "(\"A non-text attachment was scrubbed...\"), charset-unspecified text",
    "an HTML-only message whose pipermail copy holds only the scrubber note",
    "a sender without display name: `From: k.mensah at example.net "
    "(k.mensah at example.net)`",
    "DMARC-rewritten From (`Ingrid Solberg via Policy-forum` / `via "
    "Bpf-cybersecurity`, list address); the mbox copies have Reply-To with "
    "the real address, pipermail has no way to recover it",
    "mbox: single-part text bodies re-encoded by Mailman (us-ascii 7bit, "
    "UTF-8 base64, ISO-8859-1 quoted-printable) with the footer appended; "
    "multipart messages get the footer as an extra part, multipart/"
    "alternative and HTML-only messages are wrapped in multipart/mixed",
    "RFC 2047 From (Q in UTF-8 and ISO-8859-1, B for Cyrillic and Chinese) "
    "and a B-encoded Subject split into several encoded words on folded "
    "lines",
    "mboxrd: a body line `From ` is stored as `>From ` and a body line "
    "`>From ` as `>>From ` (Python's `mailbox` does not undo this); the "
    "format=flowed message space-stuffs its `From ` line; in UTF-8 bodies "
    "that Mailman re-encoded as base64 nothing needs escaping",
    "one Message-ID shared by two different mbox messages (in two threads)",
    "two messages cross-posted to both lists: same Message-ID, different "
    "subjects (`[Policy-forum]` vs `[Bpf-cybersecurity]`), footer only in "
    "the mbox copy",
    "quoting styles: Gmail (en/fr/es/pt, with a wrapped attribution line), "
    "Outlook (`-----Original Message-----`, `________________________________`"
    ", Portuguese `-----Mensagem original-----`), Apple Mail, iPhone, "
    "Thunderbird (en/de), Gnus `writes:`, a webmail quoting with `>` and no "
    "space; top, bottom and interleaved posting; `[snip]`; quoted list "
    "footers; a forwarded message",
    "threads: a long chain, fan-outs, late replies, a ghost root in each "
    "list, replies without In-Reply-To/References, a subject change "
    "(`was:`), a hijacked thread, a thread spanning both lists",
]


def verify(outdir):
    """Regenerate in a temp dir, compare bytes, check truth against files."""
    ok = True
    tmp = tempfile.mkdtemp(prefix="larch-sample-")
    try:
        truth, files, stats = generate(tmp)
        for root, _, names in os.walk(tmp):
            for n in names:
                a = os.path.join(root, n)
                rel = os.path.relpath(a, tmp)
                b = os.path.join(outdir, rel)
                if not os.path.exists(b):
                    print("missing: %s" % rel)
                    ok = False
                elif open(a, "rb").read() != open(b, "rb").read():
                    print("differs: %s" % rel)
                    ok = False
    finally:
        shutil.rmtree(tmp)
    ok = check(outdir) and ok
    print("verify: %s" % ("OK" if ok else "FAILED"))
    return ok


def check(outdir):
    ok = True

    def bad(msg):
        nonlocal ok
        ok = False
        print("check: " + msg)

    truth = [json.loads(l) for l in open(os.path.join(outdir, "truth.jsonl"),
                                         encoding="utf-8")]
    byfile = {}
    for t in truth:
        byfile.setdefault(t["file"], []).append(t)
    sep_pm = re.compile(r"^From \S+ at \S+  \w{3} \w{3} [ \d]\d "
                        r"\d\d:\d\d:\d\d \d{4}$", re.M)
    for f, ts in byfile.items():
        path = os.path.join(outdir, f)
        raw = open(path, "rb").read()
        if f.endswith(".gz"):
            raw = gzip.decompress(raw)
            n = len(sep_pm.findall(raw.decode("utf-8")))
        else:
            n = len(mailbox.mbox(path))
        if n != len(ts):
            bad("%s: %d messages, truth has %d" % (f, n, len(ts)))
        end = 0
        for t in ts:
            if t["offset"] != end:
                bad("%s: gap before %d" % (f, t["index"]))
            chunk = raw[t["offset"]:t["offset"] + t["length"]]
            if not chunk.startswith(b"From "):
                bad("%s #%d does not start with From_" % (f, t["index"]))
            if t["message_id"] and ("<%s>" % t["message_id"]).encode() \
                    not in chunk:
                bad("%s #%d lacks its Message-ID" % (f, t["index"]))
            end = t["offset"] + t["length"]
        if end != len(raw):
            bad("%s: %d trailing bytes" % (f, len(raw) - end))
    # mbox MIME check: the new text is in the decoded text/plain body
    mb = mailbox.mbox(os.path.join(outdir, "mbox", BPF + ".mbox"))
    ts = byfile["mbox/%s.mbox" % BPF]
    for t, msg in zip(ts, mb):
        if msg.get("List-Id", "").find("<%s>" % t["list_id"]) < 0:
            bad("mbox #%d: List-Id" % t["index"])
        texts = []
        for part in msg.walk():
            if part.get_content_maintype() == "text" and \
               not part.get_filename():
                pl = part.get_payload(decode=True)
                texts.append(pl.decode(part.get_content_charset() or
                                       "ascii"))
        alltext = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "\n".join(
            texts)).replace("&quot;", '"').replace("&amp;", "&")
            .replace("&lt;", "<").replace("&gt;", ">"))
        # mailbox.mbox does not undo mboxrd escaping
        alltext = alltext.replace(">>From ", ">From ").replace(
            " >From ", " From ")
        for para in t["new_text"].split("\n\n"):
            pn = re.sub(r"\s+", " ", para).strip()
            if pn and pn not in alltext and \
                    pn.replace(">From", "From") not in alltext:
                bad("mbox #%d: new text not found: %r" % (t["index"],
                                                          pn[:60]))
        if "Bpf-cybersecurity mailing list" not in "\n".join(texts):
            bad("mbox #%d: no footer" % t["index"])
    # pipermail: new text present in the body
    for f, ts in byfile.items():
        if not f.endswith(".gz"):
            continue
        raw = gzip.decompress(open(os.path.join(outdir, f), "rb").read())
        for t in ts:
            chunk = raw[t["offset"]:t["offset"] + t["length"]].decode("utf-8")
            for para in t["new_text"].split("\n\n"):
                if para and para not in chunk:
                    bad("%s #%d: new text not found: %r" % (f, t["index"],
                                                           para[:60]))
    # README counts
    st = count(truth, {})
    readme_text = open(os.path.join(outdir, "README.md"),
                       encoding="utf-8").read()
    for label, key in [("message copies (entries in `truth.jsonl`)",
                        "copies"),
                       ("distinct Message-IDs", "distinct_mids"),
                       ("messages without Message-ID", "no_mid"),
                       ("threads (both lists)", "threads"),
                       ("distinct messages", "messages")]:
        if "| %s | %d |" % (label, st[key]) not in readme_text:
            bad("README count for %s" % label)
    for f, n in st["per_file"].items():
        if "| `%s` | %d |" % (f, n) not in readme_text:
            bad("README count for %s" % f)
    return ok


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=here,
                    help="output folder (default: %(default)s)")
    ap.add_argument("--verify", action="store_true",
                    help="check that OUT matches a fresh generation")
    a = ap.parse_args()
    if a.verify:
        sys.exit(0 if verify(a.out) else 1)
    truth, files, s = generate(a.out)
    print("%d copies (%d policy-forum, %d bpf-cybersecurity), %d distinct "
          "Message-IDs, %d threads" % (s["copies"], s["copies_per_list"][PF],
                                       s["copies_per_list"][BPF],
                                       s["distinct_mids"], s["threads"]))


if __name__ == "__main__":
    main()
