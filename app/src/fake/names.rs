//! Realistic Russian names for demo people: surname, first name and patronymic agree in gender.

use super::DemoRng;

const MALE_FIRST: &[&str] = &[
    "Александр",
    "Алексей",
    "Андрей",
    "Антон",
    "Артём",
    "Борис",
    "Вадим",
    "Виктор",
    "Владимир",
    "Дмитрий",
    "Евгений",
    "Иван",
    "Игорь",
    "Кирилл",
    "Константин",
    "Максим",
    "Михаил",
    "Николай",
    "Олег",
    "Павел",
    "Роман",
    "Сергей",
    "Станислав",
    "Юрий",
];
const FEMALE_FIRST: &[&str] = &[
    "Александра",
    "Алина",
    "Анастасия",
    "Анна",
    "Валентина",
    "Вера",
    "Галина",
    "Дарья",
    "Екатерина",
    "Елена",
    "Ирина",
    "Ксения",
    "Лариса",
    "Людмила",
    "Марина",
    "Мария",
    "Наталья",
    "Нина",
    "Ольга",
    "Светлана",
    "Татьяна",
    "Юлия",
];
/// Masculine surnames whose feminine form adds "а".
const SURNAMES: &[&str] = &[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
];
/// Fathers' names from which patronymics are formed.
const PATRONYMIC_STEMS: &[(&str, &str)] = &[
    ("Александрович", "Александровна"),
    ("Алексеевич", "Алексеевна"),
    ("Андреевич", "Андреевна"),
    ("Борисович", "Борисовна"),
    ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Евгеньевич", "Евгеньевна"),
    ("Иванович", "Ивановна"),
    ("Игоревич", "Игоревна"),
    ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"),
    ("Олегович", "Олеговна"),
    ("Павлович", "Павловна"),
    ("Сергеевич", "Сергеевна"),
    ("Юрьевич", "Юрьевна"),
];

/// A person's full name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName {
    pub surname: String,
    pub first: String,
    pub patronymic: String,
}

impl FullName {
    /// "Иванова Анна Сергеевна".
    pub fn full(&self) -> String {
        format!("{} {} {}", self.surname, self.first, self.patronymic)
    }
}

/// A random full name; about half are women.
pub fn full_name(rng: &mut DemoRng) -> FullName {
    let female = rng.below(2) == 1;
    let surname = *rng.pick(SURNAMES);
    let (m, f) = *rng.pick(PATRONYMIC_STEMS);
    if female {
        FullName {
            surname: format!("{surname}а"),
            first: (*rng.pick(FEMALE_FIRST)).to_owned(),
            patronymic: f.to_owned(),
        }
    } else {
        FullName {
            surname: surname.to_owned(),
            first: (*rng.pick(MALE_FIRST)).to_owned(),
            patronymic: m.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_agree_in_gender() {
        let mut rng = DemoRng::new(3);
        for _ in 0..200 {
            let n = full_name(&mut rng);
            let female = n.patronymic.ends_with("вна") || n.patronymic.ends_with("чна");
            assert_eq!(n.surname.ends_with('а'), female, "{}", n.full());
        }
    }
}
