using System.Globalization;

namespace Nlps.Inference.ChatTemplates;

/// <summary>
/// Llama 3.x header format. 3.1/3.2 (<see cref="DateHeader"/>) always open with a system turn carrying
/// "Cutting Knowledge Date: December 2023" and "Today Date: …" (3.2 uses today's date via <c>strftime_now</c>, 3.1 a
/// fixed "26 Jul 2024"), then the system message if any. 3.0 has no such header. Content is trimmed, as the templates'
/// <c>| trim</c> does; the text starts with <c>&lt;|begin_of_text|&gt;</c>, so no BOS may be added when encoding.
/// </summary>
public sealed class Llama3ChatTemplate(bool dateHeader, bool todayDate, TimeProvider? timeProvider = null) : IChatTemplate
{
    private const string FixedDate = "26 Jul 2024";
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Whether the 3.1/3.2 system header with the knowledge cut-off is emitted.</summary>
    public bool DateHeader { get; } = dateHeader;

    public IReadOnlyList<PromptPiece> Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var pieces = new List<PromptPiece> { new("<|begin_of_text|>", true) };
        int first = 0;
        if (DateHeader)
        {
            string system = messages.Count > 0 && messages[0].Role == "system" ? messages[0].Content.Trim() : string.Empty;
            first = messages.Count > 0 && messages[0].Role == "system" ? 1 : 0;
            string date = todayDate ? _time.GetLocalNow().ToString("dd MMM yyyy", CultureInfo.InvariantCulture) : FixedDate;
            pieces.Add(new($"<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: {date}\n\n", true));
            pieces.Add(new(system, false));
            pieces.Add(new("<|eot_id|>", true));
        }

        for (int i = first; i < messages.Count; i++)
        {
            ChatTurn turn = messages[i];
            turn.Validate();
            string role = turn.Role == "tool" ? "ipython" : turn.Role;
            pieces.Add(new($"<|start_header_id|>{role}<|end_header_id|>\n\n", true));
            pieces.Add(new(turn.Content.Trim(), false));
            pieces.Add(new("<|eot_id|>", true));
        }

        if (addGenerationPrompt)
        {
            pieces.Add(new("<|start_header_id|>assistant<|end_header_id|>\n\n", true));
        }

        return pieces;
    }
}
