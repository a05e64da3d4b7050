namespace Nlps.Models.Planning;

/// <summary>One change that, alone, makes the deployment fit as the box stands; <paramref name="Value"/> is the new setting (context, sequences, TP degree) where it has one.</summary>
public sealed record FitSuggestion(SuggestionKind Kind, string Change, long? Value = null);
