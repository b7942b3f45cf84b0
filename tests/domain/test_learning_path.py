"""The catalog's learning path: prerequisites first, ties by title, unlinked courses after."""

from __future__ import annotations

from lms.domain.learning_path import PathCourse, learning_path_order


def test_the_path_follows_prerequisites_not_the_alphabet() -> None:
    order = learning_path_order(
        [
            PathCourse("employer-awareness", "Ажил олгогчдын семинар", ()),
            PathCourse("trainer-of-trainers", "Сургагч багш", ("job-coach-training",)),
            PathCourse("job-coach-training", "Ажлын дасгалжуулагчийн сургалт", ("intro-seminar",)),
            PathCourse("intro-seminar", "Танилцуулга семинар", ()),
            PathCourse(
                "job-coach-refresher",
                "Ажлын дасгалжуулагчийн давтан сургалт",
                ("job-coach-training",),
            ),
        ]
    )
    # Two courses follow the training: by title (А before С), the refresher first.
    assert order.path == (
        "intro-seminar",
        "job-coach-training",
        "job-coach-refresher",
        "trainer-of-trainers",
    )
    assert order.others == ("employer-awareness",)


def test_ties_are_broken_by_title_in_mongolian_order() -> None:
    order = learning_path_order(
        [
            PathCourse("b", "Үндэс", ()),
            PathCourse("a", "Уулзалт", ()),
            PathCourse("c", "Дараагийн шат", ("a", "b")),
            PathCourse("x", "Өөр", ()),
            PathCourse("y", "Онол", ()),
        ]
    )
    # У before Ү, and О before Ө (Mongolian alphabet), whatever the slugs say.
    assert order.path == ("a", "b", "c")
    assert order.others == ("y", "x")


def test_unpublished_prerequisites_are_ignored_and_cycles_still_listed() -> None:
    order = learning_path_order(
        [
            PathCourse("alone", "Ганц", ("not-published",)),
            PathCourse("p", "Б", ("q",)),
            PathCourse("q", "А", ("p",)),
        ]
    )
    assert order.path == ("q", "p")  # stuck in a cycle: by title, after the path
    assert order.others == ("alone",)
    assert set(order.slugs) == {"alone", "p", "q"}
