namespace Nlps.Inference.Tokenization.PostProcessing;

/// <summary>
/// The single-sequence part of a <c>post_processor</c>: fixed ids before and after the encoded text
/// (<c>TemplateProcessing</c> <c>single</c>, or Roberta/Bert's cls … sep). Applied only when special tokens are asked for.
/// </summary>
internal sealed class TemplatePostProcessor(int[] prefix, int[] suffix)
{
    public static readonly TemplatePostProcessor None = new([], []);

    public IReadOnlyList<int> Prefix { get; } = prefix;

    public IReadOnlyList<int> Suffix { get; } = suffix;
}
