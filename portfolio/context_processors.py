from .permissions import is_office


def roles(request):
    return {"is_office": is_office(request.user)}
