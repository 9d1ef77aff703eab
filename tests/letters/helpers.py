import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_file(name="me.png", size=(800, 600), kind="PNG", colour=(30, 120, 200)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=kind)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}[kind]
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


PROFILE = {
    "who_i_am": "I am Alice. I have two cats and I love swimming.",
    "what_i_do": "I check that your plan is right for you and I chair your reviews.",
    "how_to_reach_me": "Phone me on 0161 496 0001 from Monday to Friday.",
}
