//! Everything a person can ask the app to do. Keys become actions through `keymap`; only
//! `App::update` acts on them.

/// What a key (or a click of the status line) asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    Help,
    RecordStage,
    New,
    Edit,
    Retract,
    /// Say that the selected stage still holds today (`c`).
    ConfirmStage,
    /// A round's checklist: the method is no longer in use (records discontinued, asks why).
    Discontinue,
    /// A round's checklist: a method the round named that the unit never used.
    NotUsedHere,
    /// A round's checklist: confirm every question not yet answered, after a yes.
    ConfirmAll,
    /// Close the open round, after a yes (coordinators).
    CloseRound,
    /// Last known (every stage, stale ones marked) or current only (stale ones left out).
    ToggleCurrentOnly,
    /// Record that units merged or split (Units tab, coordinators).
    Reorganise,
    /// Register a person, with their role, units and SSH key (Units tab, coordinators).
    AddPerson,
    ToggleHistoricalUnits,
    /// Fold predecessors' history into the units that took over (Matrix).
    ToggleRollUp,
    /// Spread: methods, units, stalled pilots, stages not heard from in turn.
    NextView,
    /// Spread: sort by the next column; turn the order round.
    SortNext,
    SortReverse,
    /// Show every screen a year earlier or later; a month earlier or later.
    YearBack,
    YearForward,
    MonthBack,
    MonthForward,
    /// Type the day every screen shows (empty: today).
    AsOf,
    /// Open the workshop presentation (`P`).
    Present,
    /// Presentation: the next and previous slide; play or pause the film; a digit of the
    /// slide number to jump to (Enter jumps).
    NextSlide,
    PrevSlide,
    PlayFilm,
    TypeDigit,
    NextField,
    PrevField,
    Save,
    Cancel,
    Confirm,
    Deny,
    /// Save my version over theirs.
    Overwrite,
    /// Start again from their version.
    TakeTheirs,
    /// Theirs where I changed nothing, mine where I did.
    Merge,
}
