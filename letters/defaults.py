"""The starting text of a record written to the child for each age band, as the service ships it.

The data migration writes these as ChildRecordTemplate rows, which administrators then change;
`template_text` falls back to them for a band with no row. Words in braces are filled in by
letters.services.records.fill_template.
"""

DEFAULT_TEMPLATES = {
    "under 1": (
        "Dear {first_name},\n\n"
        "This letter is for you to read when you are older. My name is {iro_name}. I am your "
        "Independent Reviewing Officer. My job is to check that the people looking after you "
        "are doing a good job.\n\n"
        "On {review_date} we had a meeting about you. We talked about how you are growing, "
        "who looks after you and how you are getting on.\n\n"
        "The grown-ups agreed to:\n- \n\n"
        "We will meet again by {next_review}.\n\n"
        "From {iro_name}"
    ),
    "1-4": (
        "Dear {first_name},\n\n"
        "My name is {iro_name}. I help to check that you are safe and happy.\n\n"
        "On {review_date} we had a meeting about you. We talked about your home, your "
        "nursery and the things you like to do.\n\n"
        "The grown-ups will:\n- \n\n"
        "We will meet again by {next_review}.\n\n"
        "From {iro_name}"
    ),
    "5-9": (
        "Dear {first_name},\n\n"
        "At your review on {review_date} we talked about how things are going for you.\n\n"
        "You told us:\n- \n\n"
        "We talked about school, home and the people who are important to you.\n\n"
        "What will happen next:\n- \n\n"
        "Your next review will be by {next_review}. You can tell me what you want to talk "
        "about.\n\n"
        "From {iro_name}, your IRO"
    ),
    "10-15": (
        "Dear {first_name},\n\n"
        "At your review on {review_date} we talked about how things are going for you and "
        "what you want for the future.\n\n"
        "What you told us:\n- \n\n"
        "What we agreed:\n- \n\n"
        "Who will do what, and by when:\n- \n\n"
        "Your next review will be by {next_review}. If you are not happy with something, you "
        "can talk to me, your social worker or an advocate.\n\n"
        "From {iro_name}, your Independent Reviewing Officer"
    ),
    "16+": (
        "Dear {first_name},\n\n"
        "This is the record of your review on {review_date}.\n\n"
        "What you told us:\n- \n\n"
        "Your pathway plan, education, work and money:\n- \n\n"
        "What we agreed, who will do it and by when:\n- \n\n"
        "Your next review will be by {next_review}. You can ask for anything in this record to "
        "be changed if you think it is wrong, and you can have an advocate to help you.\n\n"
        "From {iro_name}, your Independent Reviewing Officer"
    ),
}
