package demo

// Goal categories the demo uses.
const (
	catReading     = "Reading"
	catMath        = "Math"
	catComm        = "Communication"
	catBehavior    = "Behavior"
	catCareer      = "Career readiness"
	catIndependent = "Independent living"
)

// Program kinds, as bits of goalTemplate.programs: which programs a goal
// suits. The demo district's first program is the transition program, its
// second learning support.
const (
	forTransition = 1 << iota
	forLearning
	forBoth = forTransition | forLearning
)

// goalTemplate is a goal a teacher might write, with the benchmarks that
// become its sub-goals and notes an entry on it might say. A template with
// a unit is measurable; its baseline is drawn from baseLow to baseHigh and
// its target is fixed.
type goalTemplate struct {
	title, description, category string
	programs                     int
	unit                         string
	baseLow, baseHigh, target    float64
	subGoals                     []string
	notes                        []string
}

// goalTemplates is the catalog each student's goals are drawn from.
var goalTemplates = []goalTemplate{
	{
		title: "Read a bus schedule and plan a route with 80% accuracy",
		description: "Given a printed or phone bus schedule, the student identifies the " +
			"route, departure time and any transfer needed to reach a named destination.",
		category: catReading, programs: forTransition,
		unit: "% accuracy", baseLow: 30, baseHigh: 50, target: 80,
		subGoals: []string{
			"Identify the route number and direction",
			"Find the departure closest to a given time",
			"Name the stop where a transfer is needed",
		},
		notes: []string{
			"Planned a trip to the library on route 12 using the printed schedule; found the " +
				"right departure with one prompt.",
			"Used the transit app to find the next bus to the work site; mixed up inbound and " +
				"outbound at first.",
			"Worked out a two-bus trip to the mall; found the transfer stop without help.",
		},
	},
	{
		title: "Read functional sight words on community signs",
		description: "The student reads safety, store and transit words seen in the community " +
			"from a 50-word list.",
		category: catReading, programs: forTransition,
		unit: "words read correctly", baseLow: 12, baseHigh: 22, target: 45,
		subGoals: []string{
			"Read safety words (EXIT, DANGER, PUSH, PULL)",
			"Read restroom and store-section signs",
		},
		notes: []string{
			"Went through the community signs deck; quick on EXIT and PUSH, hesitated on CAUTION.",
			"Walked the school store and read aisle signs aloud; needed help with PHARMACY.",
			"Matched sign photos to words on the tablet; read DANGER and KEEP OUT without prompting.",
		},
	},
	{
		title: "Read grade-level text aloud at 90 words per minute",
		description: "On a weekly one-minute probe with an unfamiliar passage, the student " +
			"reads at least 90 words correct per minute.",
		category: catReading, programs: forLearning,
		unit: "words per minute", baseLow: 52, baseHigh: 68, target: 90,
		subGoals: []string{
			"Read phrases with correct phrasing and pauses",
			"Self-correct errors while reading aloud",
		},
		notes: []string{
			"One-minute timed reading with a new passage; skipped two lines and went back on their own.",
			"Repeated reading of the same passage three times; phrasing better on the third read.",
			"Partner reading in small group; self-corrected most errors without a reminder.",
		},
	},
	{
		title: "Answer questions about a short informational text",
		description: "After reading a one-page informational text, the student answers five " +
			"literal and inferential questions.",
		category: catReading, programs: forLearning,
		unit: "% accuracy", baseLow: 40, baseHigh: 55, target: 80,
		subGoals: []string{
			"State the main idea in one sentence",
			"Point to the detail that supports an answer",
			"Explain the meaning of a new word from context",
		},
		notes: []string{
			"Read an article on recycling and answered five questions; missed the inference question.",
			"Highlighted the main idea before answering; used the text to check two answers.",
			"Needed the questions read aloud today; answers were accurate once the questions were clear.",
		},
	},
	{
		title: "Complete a job application form using a personal ID card",
		description: "The student fills in a paper or online job application, copying " +
			"personal details from an ID card and answering availability questions.",
		category: catReading, programs: forTransition,
		subGoals: []string{
			"Copy name, address and phone number correctly",
			"Answer the availability questions",
		},
		notes: []string{
			"Filled in the practice application for the grocery store; copied the address correctly.",
			"Completed the online application with support; needed help with the availability grid.",
			"Filled in name, date of birth and phone number from the ID card without help.",
		},
	},
	{
		title: "Count change from a purchase up to $20",
		description: "In role-play and at the school store, the student pays for an item and " +
			"checks the change received for purchases up to $20.",
		category: catMath, programs: forBoth,
		unit: "% accuracy", baseLow: 30, baseHigh: 50, target: 90,
		subGoals: []string{
			"Identify coins and bills by value",
			"Use the next-dollar strategy to pay",
			"Check the change against the receipt",
		},
		notes: []string{
			"Role-played a store purchase with a $20 bill; counted change with the next-dollar method.",
			"Bought a snack at the school store and checked the change before leaving the counter.",
			"Counted back change for three practice purchases; confused dimes and nickels once.",
		},
	},
	{
		title: "Compare unit prices with a calculator at the grocery store",
		description: "Given two sizes of the same product, the student uses a calculator or " +
			"the shelf tag to find the better buy.",
		category: catMath, programs: forTransition,
		unit: "% of trials correct", baseLow: 20, baseHigh: 40, target: 80,
		subGoals: []string{"Find the unit price on a shelf tag", "Round prices to the nearest dollar"},
		notes: []string{
			"Compared two sizes of cereal with a calculator; needed a reminder to use the unit price.",
			"Found unit prices on four shelf tags on the grocery trip and picked the better buy for three.",
			"Rounded prices before comparing; quicker than last week.",
		},
	},
	{
		title: "Solve two-step word problems with whole numbers",
		description: "The student solves two-step addition, subtraction and multiplication " +
			"word problems, showing an equation for each step.",
		category: catMath, programs: forLearning,
		unit: "% accuracy", baseLow: 35, baseHigh: 50, target: 80,
		subGoals: []string{
			"Name the operation each step needs",
			"Write an equation that matches the problem",
		},
		notes: []string{
			"Worked through three word problems; set up the first two correctly without help.",
			"Drew a bar model for each problem; chose the wrong operation on the second step once.",
			"Explained the steps aloud to a partner before writing the equation.",
		},
	},
	{
		title: "Tell time and work out elapsed time on a schedule",
		description: "Using a digital clock and a daily schedule, the student says how long " +
			"until the next activity, in 15-minute steps.",
		category: catMath, programs: forBoth,
		unit: "% accuracy", baseLow: 35, baseHigh: 50, target: 90,
		subGoals: []string{"Read times on digital and analog clocks", "Count forward in 15-minute steps"},
		notes: []string{
			"Worked out how long until lunch from the daily schedule; counted in 15-minute steps.",
			"Read the analog clock correctly at each transition today.",
			"Practiced elapsed time with the bus timetable; needed a number line for the last one.",
		},
	},
	{
		title: "Create and follow a weekly budget",
		description: "The student lists weekly income and fixed costs, plans spending money " +
			"and tracks purchases for a week.",
		category: catMath, programs: forTransition,
		subGoals: []string{
			"List fixed weekly costs such as a bus pass and phone",
			"Record each purchase in a notebook or app",
		},
		notes: []string{
			"Listed this week's costs (bus pass, phone, lunch) and planned spending money.",
			"Tracked purchases in the budget notebook; forgot to write down Friday's snack.",
			"Compared planned and actual spending for the week; stayed within budget.",
		},
	},
	{
		title: "Ask a coworker or supervisor for help using a complete sentence",
		description: "When stuck or out of materials, the student gets a staff member's " +
			"attention appropriately and states what is needed.",
		category: catComm, programs: forTransition,
		unit: "prompts per session", baseLow: 6, baseHigh: 8, target: 1,
		subGoals: []string{
			"Get attention appropriately before asking",
			"Say what is needed in one sentence",
		},
		notes: []string{
			"Asked the job coach for more supplies using a full sentence, without a prompt.",
			"Waited at the station instead of asking when out of boxes; asked after a gesture prompt.",
			"Said \"Excuse me, I need more labels, please\" to the supervisor on the first try.",
		},
	},
	{
		title: "Start and keep a conversation going for three exchanges",
		description: "At lunch or during breaks, the student starts a conversation with a " +
			"peer and keeps it going for three back-and-forth turns.",
		category: catComm, programs: forBoth,
		unit: "% of opportunities", baseLow: 20, baseHigh: 40, target: 80,
		subGoals: []string{
			"Greet a peer by name",
			"Ask a follow-up question",
			"End the conversation politely",
		},
		notes: []string{
			"Kept a conversation going for three turns at lunch with one visual cue.",
			"Greeted a peer by name and asked about the weekend; conversation ended after two turns.",
			"Asked a follow-up question about a classmate's job without a prompt.",
		},
	},
	{
		title: "Use a speech-generating device to order food at a counter",
		description: "The student prepares an order on the device beforehand and completes " +
			"the ordering routine at a cafe counter.",
		category: catComm, programs: forTransition,
		unit: "% of steps independent", baseLow: 25, baseHigh: 40, target: 90,
		subGoals: []string{
			"Prepare the order on the device before the visit",
			"Respond to the cashier's questions",
		},
		notes: []string{
			"Used the speech device to order at the cafe counter; the cashier understood first time.",
			"Prepared the order on the device before the visit; needed a prompt to press the pay page.",
			"Answered the cashier's \"For here or to go?\" with the device independently.",
		},
	},
	{
		title: "Leave a clear voicemail to report an absence",
		description: "The student calls the work site or school and leaves a message giving " +
			"name, reason and expected return.",
		category: catComm, programs: forTransition,
		subGoals: []string{"State name, reason and return date", "Speak slowly enough to be understood"},
		notes: []string{
			"Practiced the absence voicemail script and left a clear practice message.",
			"Left a message on the practice line; spoke too fast and repeated it more slowly.",
			"Called the work site to report a dentist appointment; gave name, reason and return day.",
		},
	},
	{
		title: "Stay on task during independent work for 20 minutes",
		description: "During independent work time the student works without leaving the " +
			"task, using a visual timer and breaks as needed.",
		category: catBehavior, programs: forBoth,
		unit: "minutes on task", baseLow: 5, baseHigh: 8, target: 20,
		subGoals: []string{
			"Start the visual timer without a reminder",
			"Ask for a break using the break card",
		},
		notes: []string{
			"Stayed with the assembly task until the timer ended; one redirection.",
			"Started the visual timer without a reminder and worked through two sets.",
			"Left the work area twice; settled after a short break with the break card.",
		},
	},
	{
		title: "Use a calming strategy when frustrated",
		description: "When frustrated, the student names the feeling and chooses a strategy " +
			"from the calm-down menu instead of leaving the area.",
		category: catBehavior, programs: forBoth,
		unit: "% of incidents", baseLow: 20, baseHigh: 30, target: 80,
		subGoals: []string{
			"Name the feeling using the feelings chart",
			"Choose a strategy from the calm-down menu",
		},
		notes: []string{
			"Named feeling frustrated and chose deep breathing from the calm-down menu.",
			"Got upset when the printer jammed; used the calm-down corner for five minutes and returned.",
			"Needed staff to offer the calm-down menu before choosing a strategy.",
		},
	},
	{
		title: "Move between activities within two minutes",
		description: "At each transition the student checks the visual schedule and moves to " +
			"the next activity within two minutes.",
		category: catBehavior, programs: forLearning,
		unit: "prompts per session", baseLow: 5, baseHigh: 7, target: 1,
		subGoals: []string{"Check the visual schedule at each transition"},
		notes: []string{
			"Moved from lunch to class within two minutes after checking the schedule.",
			"Needed two reminders to leave the computer at the end of free time.",
			"All transitions on time today; used the visual schedule at each one.",
		},
	},
	{
		title: "Accept corrective feedback without arguing",
		description: "When given feedback on work, the student acknowledges it and makes the " +
			"correction without arguing.",
		category: catBehavior, programs: forBoth,
		unit: "% of opportunities", baseLow: 30, baseHigh: 45, target: 85,
		subGoals: []string{
			"Say \"OK\" or ask a question instead of arguing",
			"Make the correction within five minutes",
		},
		notes: []string{
			"Accepted feedback on a sorting error and fixed it without arguing.",
			"Argued briefly about a correction on the math sheet, then fixed it after a pause.",
			"Said \"OK\" and asked a question about the feedback instead of arguing.",
		},
	},
	{
		title: "Arrive at the work site on time and clock in independently",
		description: "The student plans the trip, arrives before the shift starts and clocks " +
			"in without staff help.",
		category: catCareer, programs: forTransition,
		unit: "% of shifts", baseLow: 50, baseHigh: 65, target: 95,
		subGoals: []string{"Set a phone alarm for departure time", "Use the time clock without help"},
		notes: []string{
			"Clocked in on time at the grocery site and started restocking without reminders.",
			"Arrived ten minutes late after missing the bus; called the supervisor as practiced.",
			"Phone alarm went off on time; clocked in without help.",
		},
	},
	{
		title: "Complete a five-step job task checklist at the work site",
		description: "At the community work site the student completes the assigned task " +
			"checklist from start to finish.",
		category: catCareer, programs: forTransition,
		unit: "steps completed independently", baseLow: 1, baseHigh: 2, target: 5,
		subGoals: []string{
			"Gather materials before starting",
			"Check off each step when done",
			"Tell the supervisor when the task is finished",
		},
		notes: []string{
			"Completed the shelving checklist; skipped step 4 and corrected it when asked to review.",
			"Gathered all materials before starting and checked off each step.",
			"Needed prompts for steps 3 and 5 at the laundry site; others done independently.",
		},
	},
	{
		title: "Prepare a resume and take part in a mock interview",
		description: "The student writes a one-page resume with staff support and answers " +
			"common interview questions in a mock interview.",
		category: catCareer, programs: forBoth,
		subGoals: []string{
			"List two past jobs or volunteer roles",
			"Answer three common interview questions",
		},
		notes: []string{
			"Practiced answering \"Tell me about yourself\" in a mock interview; clear and on topic.",
			"Added the food bank volunteering to the resume draft.",
			"Mock interview with the job coach; good eye contact, short answers.",
		},
	},
	{
		title: "Follow multi-step written work instructions",
		description: "Given written instructions of three to five steps, the student " +
			"completes the task in order without verbal prompts.",
		category: catCareer, programs: forBoth,
		unit: "% accuracy", baseLow: 40, baseHigh: 55, target: 85,
		subGoals: []string{"Read all steps before starting", "Mark each step as it is done"},
		notes: []string{
			"Followed the written instructions for folding towels at the laundry site.",
			"Read all the steps before starting the mailing task; did them in order.",
			"Skipped a step on the cleaning checklist; caught it when checking the list at the end.",
		},
	},
	{
		title: "Explore three career options through job shadowing",
		description: "The student shadows staff at three workplaces and writes down what each " +
			"job involves and whether it appeals.",
		category: catCareer, programs: forLearning,
		subGoals: []string{
			"Prepare two questions before each visit",
			"Write a short reflection after each visit",
		},
		notes: []string{
			"Job shadow at the animal shelter; asked the staff member two questions about the role.",
			"Wrote a short reflection on the hospital kitchen visit: liked the team, not the noise.",
			"Prepared questions for next week's visit to the bike shop.",
		},
	},
	{
		title: "Prepare a simple meal following a picture recipe",
		description: "Using a picture recipe, the student prepares a simple hot meal, using " +
			"kitchen tools and appliances safely.",
		category: catIndependent, programs: forTransition,
		unit: "steps completed independently", baseLow: 3, baseHigh: 4, target: 10,
		subGoals: []string{"Gather ingredients and tools", "Use the microwave and stove safely"},
		notes: []string{
			"Made a grilled cheese from the picture recipe; needed help only with the stove dial.",
			"Gathered ingredients and tools for pasta before starting; timed the boiling with a timer.",
			"Used the microwave safely; checked the time and used oven mitts without a reminder.",
		},
	},
	{
		title: "Do a load of laundry from sorting to folding",
		description: "The student sorts, washes, dries and folds a load of laundry at the " +
			"school's life skills apartment.",
		category: catIndependent, programs: forTransition,
		unit: "% of steps independent", baseLow: 30, baseHigh: 45, target: 90,
		subGoals: []string{
			"Sort lights and darks",
			"Choose the right washer setting",
			"Fold and put away clothes",
		},
		notes: []string{
			"Sorted laundry into lights and darks and chose the right washer setting.",
			"Measured detergent with the marked cup; needed a prompt to clean the lint filter.",
			"Folded towels and shirts and put them away; did the whole load with two prompts.",
		},
	},
	{
		title: "Ride the city bus to a familiar destination independently",
		description: "The student travels by city bus to the library, work site or store, " +
			"paying the fare and signaling the stop.",
		category: catIndependent, programs: forTransition,
		unit: "prompts per trip", baseLow: 4, baseHigh: 6, target: 0,
		subGoals: []string{"Pay the fare with a bus pass", "Signal the stop before arrival"},
		notes: []string{
			"Rode route 12 to the library with staff shadowing at a distance; signaled the stop on time.",
			"Tapped the bus pass and found a seat without help; needed a prompt to signal the stop.",
			"Travel training to the work site; missed the stop and got off at the next one safely.",
		},
	},
	{
		title: "Keep a weekly calendar of appointments",
		description: "The student records school, work and personal appointments in a planner " +
			"or phone and checks it each morning.",
		category: catIndependent, programs: forBoth,
		subGoals: []string{"Write each appointment in the planner", "Set a reminder the day before"},
		notes: []string{
			"Wrote two appointments in the planner and set phone reminders for both.",
			"Checked the planner at arrival and told staff about the afternoon appointment.",
			"Forgot to add Thursday's dentist visit; added it after a reminder.",
		},
	},
	{
		title: "Shop for groceries from a list within a budget",
		description: "With a list of up to ten items and a set budget, the student finds the " +
			"items and pays without going over.",
		category: catIndependent, programs: forTransition,
		unit: "% of items found", baseLow: 45, baseHigh: 60, target: 95,
		subGoals: []string{"Find items using aisle signs", "Keep a running total while shopping"},
		notes: []string{
			"Shopped from a six-item list; found five items and asked an employee for the sixth.",
			"Kept a running total on the calculator and stayed $2 under budget.",
			"Used aisle signs to find items; went back twice for missed items.",
		},
	},
}

// categoryNotes are progress notes that fit any goal of a category; they
// mix with the goal's own notes.
var categoryNotes = map[string][]string{
	catReading: {
		"Distracted at the start; after a movement break read the full page with good focus.",
		"Used text-to-speech for the longer section, then summarized it in two sentences.",
		"Short session today because of the fire drill; good effort.",
	},
	catMath: {
		"Used the calculator appropriately and checked the answer a second way.",
		"Needed manipulatives for the first problems, then worked without them.",
		"Short session today because of the fire drill; good effort.",
	},
	catComm: {
		"Waited for a pause before joining the group discussion; good turn-taking today.",
		"Quiet day; needed encouragement to speak up in the group.",
		"Used the visual script card once, then spoke without it.",
	},
	catBehavior: {
		"Difficult morning; needed several prompts to start work, settled after a short walk.",
		"Calm and focused all session; earned the choice activity.",
		"Tired after a late night per student; took one extra break.",
	},
	catCareer: {
		"Supervisor at the site said it was one of the best shifts so far.",
		"Worked alongside a coworker today; asked for help appropriately.",
		"Site closed early; practiced the routine in the classroom instead.",
	},
	catIndependent: {
		"Practiced in the life skills apartment; needed one picture cue.",
		"Did the routine with staff at a distance; checked in at the end as agreed.",
		"Rushed the last steps; reviewed them together before leaving.",
	},
}

// subGoalNotes are progress notes on a sub-goal, which is shown under its
// own title, so they need not repeat it.
var subGoalNotes = []string{
	"Practiced this step twice today; right with one verbal prompt.",
	"Worked on this step with a visual checklist; independent on the second try.",
	"Needed full modeling today; will try again with a picture cue.",
	"Did this step independently at the work site without reminders.",
	"Reviewed the step at the start of class; partial prompts needed.",
}

// measureNotes follow a note on a measurable goal; %s is the value with its
// unit.
var measureNotes = []string{
	"Data: %s.",
	"Probe result: %s.",
	"Recorded %s today.",
	"Trial data: %s.",
}

// sensitiveNote is a note that must be marked sensitive: about the family,
// health or an incident. onBehavior notes belong on a behaviour goal when
// the student has one.
type sensitiveNote struct {
	content    string
	onBehavior bool
}

var sensitiveNotes = []sensitiveNote{
	{"Parent called: the family is staying with relatives this month after losing their " +
		"apartment. Student may arrive late; counselor informed.", false},
	{"Student disclosed an argument at home over the weekend and did not want to go home. " +
		"Followed the reporting procedure and informed the counselor.", false},
	{"Guardian shared a recent hospital stay; student is adjusting to new medication and " +
		"was very tired today.", false},
	{"Incident in class: student shouted at a peer and left the room. Calmed after a " +
		"ten-minute break in the quiet area; parent notified.", true},
	{"Student hit the table repeatedly during a math task and refused to continue. Used " +
		"the break card after a staff prompt; incident form filed.", true},
	{"Student said classmates tease them on the bus about their device. Spoke with " +
		"transportation; will check in daily this week.", false},
}

// healthNotes are health and welfare notes as staff write them.
var healthNotes = []string{
	"Seizure action plan updated by family and nurse; rescue medication is kept in the " +
		"nurse's office.",
	"Uses an inhaler before PE and outdoor work tasks; inhaler is in the front pocket of " +
		"the backpack.",
	"Severe peanut allergy: epinephrine auto-injector in the classroom go-bag and with the " +
		"job coach on outings.",
	"Type 1 diabetes: checks blood sugar before lunch; snack box is in the classroom cabinet.",
	"Started a new medication this month per parent; watch for afternoon drowsiness and note it here.",
	"Wears hearing aids; check batteries on arrival (spares in the top desk drawer).",
	"Sprained ankle over the weekend; no standing work tasks until a doctor's note clears it.",
	"Heat sensitive: needs reminders to drink water on hot days at the work site.",
	"New glasses prescription; make sure the new glasses are worn for reading tasks.",
}

// Notes written when a goal is closed.
var (
	metNotes = []string{
		"Met the target on three consecutive probes; moving on to the next step.",
		"Target reached and kept for two weeks; the team agreed to close the goal.",
	}
	discontinuedNotes = []string{
		"Discontinued after the team meeting; replaced by a community-based version of this goal.",
		"Discontinued: student changed work sites and the skill no longer applies.",
	}
	subGoalMetNote = "Step mastered; done independently for two weeks."
)
