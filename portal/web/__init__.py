"""The website, one room per feature: each package (`public`, `consultations`, `decisions`,
`moderation`, `staff_accounts`) holds its blueprints — `views` for members and the public,
`staff` for staff's side where a feature has one — and its forms. Shared here: form fields and
checks (`fields`), loading-or-404 and the staff guard (`guards`), the bounded id converter
(`ids`) and the error pages (`errors`). `portal.app.create_app` wires the blueprints, the
template filters and the member-data parts explicitly; templates live in the top-level
`templates/` folder, one folder per room (docs/architecture.md)."""
