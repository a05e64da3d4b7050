using System.Text.Json;

namespace Nlps.Agents.Analysis.Tasks;

/// <summary>The built-in tasks (the task types the vendor's instruction-tuned models were trained on) plus the customer's.</summary>
public sealed class TaskCatalog
{
    public const string ExtractiveSummary = "summarize_extractive";
    public const string Keywords = "keywords";

    private readonly Dictionary<string, TaskDefinition> tasks = new(StringComparer.Ordinal);

    public TaskCatalog(IReadOnlyDictionary<string, TaskDefinition> custom)
    {
        ArgumentNullException.ThrowIfNull(custom);
        Offline(ExtractiveSummary, "Extractive summary (TextRank over sentences); no model needed.", """{"type":"object","required":["summary","sentences"],"properties":{"summary":{"type":"string"},"sentences":{"type":"array","items":{"type":"string"}}}}""");
        Offline(Keywords, "Keyword tagging (TextRank over particle-stripped words); no model needed.", """{"type":"object","required":["keywords"],"properties":{"keywords":{"type":"array","items":{"type":"string"}}}}""");

        const string Answer = """{"type":"object","required":["answer"],"properties":{"answer":{"type":"string"}}}""";
        Model("summarize", "Abstractive summary in a few sentences.", "Summarise the text in at most three sentences, in its language.\n\nText:\n{text}", """{"type":"object","required":["summary"],"properties":{"summary":{"type":"string"}}}""");
        Model("title", "A short title for the text.", "Write a short title for the text, in its language.\n\nText:\n{text}", """{"type":"object","required":["title"],"properties":{"title":{"type":"string"}}}""");
        Model("keywords_llm", "Keyword tagging by the model.", "List up to ten keywords of the text.\n\nText:\n{text}", """{"type":"object","required":["keywords"],"properties":{"keywords":{"type":"array","items":{"type":"string"}}}}""");
        Model("qa_extractive", "Extractive QA: the answer is a span of the text.", "Answer the question with an exact span copied from the text.\n\nText:\n{text}\n\nQuestion: {question}", Answer, "question");
        Model("qa_short", "Abstractive QA, short answer.", "Answer the question in a few words using the text.\n\nText:\n{text}\n\nQuestion: {question}", Answer, "question");
        Model("qa_long", "Abstractive QA, long answer.", "Answer the question in full sentences using the text.\n\nText:\n{text}\n\nQuestion: {question}", Answer, "question");
        Model("qa_yes_no", "Yes/no QA with the evidence sentence.", "Answer yes or no and quote the sentence of the text that decides it.\n\nText:\n{text}\n\nQuestion: {question}", """{"type":"object","required":["answer","evidence"],"properties":{"answer":{"type":"string","enum":["yes","no"]},"evidence":{"type":"string"}}}""", "question");
        Model("qa_multiple_choice", "Multiple-choice QA.", "Pick the correct choice.\n\nText:\n{text}\n\nQuestion: {question}\nChoices: {choices}", """{"type":"object","required":["choice"],"properties":{"choice":{"type":"string"}}}""", "question", "choices");
        Model("classify", "Classification with the caller's labels (sentiment, NLI, question-pair similarity...).", "Classify the text with exactly one of these labels: {labels}.\n\nText:\n{text}", """{"type":"object","required":["label"],"properties":{"label":{"type":"string"}}}""", "labels");
        Model("paraphrase", "Paraphrase keeping the meaning.", "Paraphrase the text, keeping its meaning and language.\n\nText:\n{text}", """{"type":"object","required":["paraphrase"],"properties":{"paraphrase":{"type":"string"}}}""");
        Model("simplify", "Rewrite in plain language.", "Rewrite the text in plain, simple language.\n\nText:\n{text}", """{"type":"object","required":["text"],"properties":{"text":{"type":"string"}}}""");
        Model("complete", "Continue the text.", "Continue the text naturally for one or two sentences.\n\nText:\n{text}", """{"type":"object","required":["completion"],"properties":{"completion":{"type":"string"}}}""");
        Model("table_qa", "QA over an HTML table.", "Answer the question from the HTML table.\n\nTable:\n{text}\n\nQuestion: {question}", Answer, "question");
        Model("table_title", "A title for an HTML table.", "Write a short title for the HTML table.\n\nTable:\n{text}", """{"type":"object","required":["title"],"properties":{"title":{"type":"string"}}}""");

        foreach (var (name, task) in custom)
        {
            task.Name = name;
            tasks[name] = task;
        }
    }

    public IEnumerable<TaskDefinition> All => tasks.Values.OrderBy(t => t.Name, StringComparer.Ordinal);

    public TaskDefinition? Find(string name) => tasks.GetValueOrDefault(name);

    private void Offline(string name, string description, string schema) =>
        tasks[name] = new TaskDefinition { Name = name, Description = description, OutputSchema = JsonDocument.Parse(schema).RootElement.Clone() };

    private void Model(string name, string description, string prompt, string schema, params string[] needs) =>
        tasks[name] = new TaskDefinition { Name = name, Description = description, Prompt = prompt, OutputSchema = JsonDocument.Parse(schema).RootElement.Clone(), Needs = needs };
}
