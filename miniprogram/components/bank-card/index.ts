/**
 * A bound card as a tile in its bank's colour: bank name, card type, 尾号1234. Used by the card
 * list and detail, and by any page that lets the user pick a card.
 *
 * Properties
 *   card  Object  a CardView (typings/cards.ts), or any object with bank { name, color },
 *                 cardTypeLabel and lastFour; the bank's shortName (浦发银行), as WeChat shows
 *                 cards, when it has one
 * Events
 *   select  detail { cardId }  the tile was tapped
 */
import type { CardView } from '../../../typings/cards';

Component({
  properties: {
    card: { type: Object, value: {} as CardView },
  },
  methods: {
    onTap() {
      this.triggerEvent('select', { cardId: (this.data.card as CardView).cardId });
    },
  },
});
