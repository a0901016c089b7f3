"""Infrastrukturen: database og migreringer, malene, utfylling (docxtpl), konvertering til
PDF/A (LibreOffice), e-post, kryptering, kommunens segl, kalender, diagrammer og redline.

Ingenting her kjenner domenet (avtaler, avvik, planer). Importerer bare felles og arkiv;
aldri models, domenene, web eller cli."""
